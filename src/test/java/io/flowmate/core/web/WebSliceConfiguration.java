package io.flowmate.core.web;

import io.flowmate.admin.AdminSettings;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Import;

/**
 * What a {@code @WebMvcTest} slice leaves out but the API needs to answer as it does in production:
 * the JSON settings (lower-case enums) and the clock, from {@link JsonConfiguration}, and the
 * settings the filters read (the slice does not scan for {@code @ConfigurationProperties}). The
 * filters, the scope interceptor, the caller resolver and the problem advice are web components and
 * come with the slice by themselves.
 */
@TestConfiguration(proxyBeanMethods = false)
@Import(JsonConfiguration.class)
@EnableConfigurationProperties({ApiSettings.class, AdminSettings.class})
public class WebSliceConfiguration {}
