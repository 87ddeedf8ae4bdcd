package io.flowmate.core.net;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Import;

/**
 * The real {@link OutboundUrls} guard with its default settings, for web slices of controllers that
 * check URLs clients send (a slice would otherwise have to mock the SSRF checks away).
 */
@TestConfiguration(proxyBeanMethods = false)
@Import(OutboundUrls.class)
@EnableConfigurationProperties(OutboundSettings.class)
public class OutboundUrlGuardConfiguration {}
