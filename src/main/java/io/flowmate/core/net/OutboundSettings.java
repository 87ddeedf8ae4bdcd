package io.flowmate.core.net;

import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Requests to URLs users supply ({@code flowmate.outbound.*}), see {@link OutboundUrls}.
 *
 * @param allowedHosts host names, IP addresses or CIDR blocks exempted from the guard (for local
 *     development and tests, e.g. {@code localhost} or {@code 192.168.1.0/24}); a name exempts only
 *     URLs that use that very name, an address or block exempts the addresses in it
 * @param connectTimeout how long connecting may take
 * @param timeout how long a whole download may take
 * @param maxDownloadSize the largest body a download accepts (WhatsApp's own limit for video is 16
 *     MB)
 */
@ConfigurationProperties("flowmate.outbound")
record OutboundSettings(
    @DefaultValue List<String> allowedHosts,
    @DefaultValue("5s") Duration connectTimeout,
    @DefaultValue("30s") Duration timeout,
    @DefaultValue("16MB") DataSize maxDownloadSize) {}
