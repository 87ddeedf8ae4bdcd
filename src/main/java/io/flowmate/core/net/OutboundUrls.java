package io.flowmate.core.net;

import io.flowmate.core.api.ApiException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.hc.client5.http.DnsResolver;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.util.Timeout;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * The one way Flowmate requests a URL that a user supplied: media to send today, webhook URLs and
 * LLM base URLs ("my Ollama") tomorrow. Every such URL must be checked with {@link #check} when it
 * is accepted and requested only through {@link #get} or {@link #client()}; never with another HTTP
 * client, and never handed to a third party (WAHA) to fetch.
 *
 * <p>Without it a user makes Flowmate fetch what only the server can reach (server-side request
 * forgery): the cloud metadata service at 169.254.169.254 with its credentials, the database, the
 * engine, WAHA's API, the operator's network. The rules:
 *
 * <ul>
 *   <li>http and https only, with a host and without a user name or password;
 *   <li>every address the host resolves to must be on the public internet: not loopback, private
 *       (10/8, 172.16/12, 192.168/16), link-local (169.254/16, fe80::/10), shared CGNAT
 *       (100.64/10), unique-local (fc00::/7), multicast, unspecified, reserved, nor an IPv6 form
 *       that embeds such an IPv4 address (mapped, compatible, NAT64, 6to4); numeric spellings such
 *       as {@code 2852039166} or {@code 0x7f.1} are read as the addresses they are, and cloud
 *       metadata host names are refused by name;
 *   <li>the connection goes to exactly the addresses that were checked: the HTTP client resolves
 *       through the guard, so a host that answers DNS differently later (DNS rebinding) is caught
 *       at connection time, not only when the URL was accepted;
 *   <li>redirects are never followed (a public host could redirect to an internal one), and
 *       downloads are capped in size and time.
 * </ul>
 *
 * <p>{@code flowmate.outbound.allowed-hosts} exempts host names, addresses or CIDR blocks, for
 * local development and tests; it is empty by default.
 */
@Component
public class OutboundUrls implements DisposableBean {

  /** Host names of cloud metadata services, refused whatever they resolve to. */
  private static final Set<String> METADATA_HOSTS =
      Set.of(
          "metadata",
          "metadata.google.internal",
          "metadata.goog",
          "metadata.azure.com",
          "instance-data",
          "instance-data.ec2.internal",
          "metadata.tencentyun.com",
          "metadata.platformequinix.com");

  private final OutboundSettings settings;
  private final HostResolver resolver;
  private final Set<String> allowedNames = new HashSet<>();
  private final List<Cidr> allowedBlocks = new ArrayList<>();
  private final CloseableHttpClient client;

  @Autowired
  public OutboundUrls(OutboundSettings settings) {
    this(settings, InetAddress::getAllByName);
  }

  /** With another resolver: tests stand in for DNS with it (rebinding, names of their own). */
  OutboundUrls(OutboundSettings settings, HostResolver resolver) {
    this.settings = settings;
    this.resolver = resolver;
    for (String entry : settings.allowedHosts()) {
      String host = normalised(entry.strip());
      if (host.contains("/") || Addresses.literal(host).isPresent()) {
        allowedBlocks.add(Cidr.parse(host));
      } else if (!host.isEmpty()) {
        allowedNames.add(host);
      }
    }
    this.client = newClient();
  }

  /** How a host name becomes addresses; the system's DNS outside tests. */
  @FunctionalInterface
  interface HostResolver {
    InetAddress[] resolve(String host) throws UnknownHostException;
  }

  /** A body fetched by {@link #get}, with the {@code Content-Type} it came with (null if none). */
  public record Download(byte[] content, String contentType) {}

  /**
   * Checks a URL a user supplied, resolving its host now.
   *
   * @return the URL, parsed
   * @throws RefusedUrlException with the reason when Flowmate must not request it
   */
  public URI check(String url) {
    URI uri = parsed(url);
    vetted(host(uri));
    return uri;
  }

  /**
   * {@link #check} for a request field: a refusal becomes a 422 whose {@code detail} names the
   * field and the reason.
   */
  public URI checkField(String field, String url) {
    try {
      return check(url);
    } catch (RefusedUrlException e) {
      throw ApiException.invalid(field + " is refused: " + e.getMessage());
    }
  }

  /**
   * GETs the URL through the guard, at most {@code flowmate.outbound.max-download-size} bytes.
   *
   * @throws RefusedUrlException when the URL or an address its host resolves to now is refused
   * @throws DownloadException when the server does not deliver (status, redirect, size, time)
   */
  public Download get(URI url) {
    return get(url, settings.maxDownloadSize().toBytes());
  }

  /** {@link #get(URI)} with a smaller size limit. */
  public Download get(URI url, long maxBytes) {
    URI uri = parsed(url.toString());
    if (uri.getHost() == null) {
      // A numeric spelling like 0x08.8.8.8 that passed the check: no HTTP client takes it as a
      // host.
      throw new DownloadException(
          "'" + host(uri) + "' is not a host name or an address in the usual form", false);
    }
    HttpGet request = new HttpGet(uri);
    long deadline = System.nanoTime() + settings.timeout().toNanos();
    try {
      return client.execute(request, response -> body(response, maxBytes, deadline));
    } catch (RefusedAddressException e) {
      throw new RefusedUrlException(e.getMessage());
    } catch (UnknownHostException e) {
      throw new DownloadException("the host '" + uri.getHost() + "' could not be resolved", true);
    } catch (InterruptedIOException e) {
      throw new DownloadException(
          "the server did not answer within " + readable(settings.timeout()), true);
    } catch (IOException e) {
      throw new DownloadException("the download failed: " + e.getMessage(), true);
    }
  }

  /**
   * An HTTP client for other requests to checked URLs (a webhook's POST, an LLM call): it connects
   * only to addresses the guard allows (a refused one fails the request with an {@link
   * UnknownHostException} whose message says why) and never follows redirects. Do not close it.
   */
  public CloseableHttpClient client() {
    return client;
  }

  @Override
  public void destroy() throws IOException {
    client.close();
  }

  private Download body(ClassicHttpResponse response, long maxBytes, long deadline)
      throws IOException {
    int status = response.getCode();
    if (status >= 300 && status < 400) {
      Header location = response.getFirstHeader("Location");
      throw new DownloadException(
          "the server answered %d with a redirect%s; redirects are not followed"
              .formatted(status, location == null ? "" : " to " + clip(location.getValue())),
          false);
    }
    if (status == 429 || status >= 500) {
      throw new DownloadException("the server answered " + status, true);
    }
    if (status != 200) {
      throw new DownloadException("the server answered " + status, false);
    }
    HttpEntity entity = response.getEntity();
    if (entity == null) {
      throw new DownloadException("the server sent no body", false);
    }
    if (entity.getContentLength() > maxBytes) {
      throw tooLarge(maxBytes);
    }
    byte[] buffer = new byte[8192];
    var out = new java.io.ByteArrayOutputStream();
    try (InputStream in = entity.getContent()) {
      int read;
      while ((read = in.read(buffer)) >= 0) {
        if (out.size() + read > maxBytes) {
          throw tooLarge(maxBytes);
        }
        out.write(buffer, 0, read);
        if (System.nanoTime() > deadline) {
          // A server that trickles bytes keeps every single read under the socket timeout.
          throw new DownloadException(
              "the download took longer than " + readable(settings.timeout()), true);
        }
      }
    }
    return new Download(out.toByteArray(), entity.getContentType());
  }

  private static DownloadException tooLarge(long maxBytes) {
    return new DownloadException("the file is larger than " + maxBytes + " bytes", false);
  }

  /** The URL, if its form is acceptable: http(s), a host, no user name or password. */
  private static URI parsed(String url) {
    if (url == null || url.isBlank()) {
      throw new RefusedUrlException("the URL is empty");
    }
    URI uri;
    try {
      uri = new URI(url.strip());
    } catch (URISyntaxException e) {
      throw new RefusedUrlException("'" + clip(url) + "' is not a valid URL");
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw new RefusedUrlException(
          "only http(s) URLs are allowed, not "
              + (scheme.isEmpty() ? "'" + clip(url) + "'" : scheme + ":"));
    }
    String authority = uri.getRawAuthority();
    if (uri.getRawUserInfo() != null || (authority != null && authority.contains("@"))) {
      throw new RefusedUrlException("the URL must not contain a user name or password");
    }
    if (host(uri) == null || host(uri).isBlank()) {
      throw new RefusedUrlException("'" + clip(url) + "' has no valid host");
    }
    return uri;
  }

  /**
   * The URL's host. {@link URI} leaves it out for numeric spellings other than the dotted four
   * decimals ({@code 2852039166}, {@code 0x7f.1}); it is then read from the authority, because
   * other parsers (curl, Node) take those for addresses.
   */
  private static String host(URI uri) {
    if (uri.getHost() != null || uri.getRawAuthority() == null) {
      return uri.getHost();
    }
    String authority = uri.getRawAuthority();
    if (authority.startsWith("[")) {
      return authority.substring(0, authority.indexOf(']') + 1);
    }
    int colon = authority.lastIndexOf(':');
    return colon < 0 ? authority : authority.substring(0, colon);
  }

  /** The addresses of the host, each allowed; the connection goes to these and no others. */
  private InetAddress[] vetted(String rawHost) {
    String host = normalised(rawHost);
    if (allowedNames.contains(host)) {
      return resolve(host);
    }
    if (METADATA_HOSTS.contains(host)) {
      throw new RefusedUrlException("'" + host + "' is a cloud metadata host name");
    }
    InetAddress literal;
    try {
      literal = Addresses.literal(host).orElse(null);
    } catch (IllegalArgumentException e) {
      throw new RefusedUrlException(e.getMessage());
    }
    InetAddress[] addresses = literal != null ? new InetAddress[] {literal} : resolve(host);
    for (InetAddress address : addresses) {
      if (allowedBlocks.stream().anyMatch(block -> block.contains(address))) {
        continue;
      }
      Addresses.blocked(address)
          .ifPresent(why -> {
            String ip = address.getHostAddress();
            throw new RefusedUrlException(
                host.equals(ip)
                    ? ip + " is " + why
                    : "'" + host + "' resolves to " + ip + ", " + why);
          });
    }
    return addresses;
  }

  private InetAddress[] resolve(String host) {
    try {
      InetAddress[] addresses = resolver.resolve(host);
      if (addresses == null || addresses.length == 0) {
        throw new UnknownHostException(host);
      }
      return addresses;
    } catch (UnknownHostException e) {
      throw new UnresolvedHostException(host);
    }
  }

  /** A host without addresses: refused when a URL is accepted, worth another try when fetching. */
  private static final class UnresolvedHostException extends RefusedUrlException {
    UnresolvedHostException(String host) {
      super("the host '" + host + "' could not be resolved");
    }
  }

  /** Lower case, without IPv6 brackets or the root's trailing dot ({@code localhost.}). */
  private static String normalised(String host) {
    String h = host.toLowerCase(Locale.ROOT);
    if (h.startsWith("[") && h.endsWith("]")) {
      h = h.substring(1, h.length() - 1);
    }
    while (h.endsWith(".")) {
      h = h.substring(0, h.length() - 1);
    }
    return h;
  }

  private static String readable(java.time.Duration duration) {
    return duration.toMillis() % 1000 == 0
        ? duration.toSeconds() + "s"
        : duration.toMillis() + "ms";
  }

  private static String clip(String text) {
    return text.length() > 100 ? text.substring(0, 100) + "…" : text;
  }

  /**
   * The client's only way from a host name to addresses: the guard's. The client connects to what
   * this returns, so the addresses checked are the addresses used.
   */
  private final class GuardedDnsResolver implements DnsResolver {

    @Override
    public InetAddress[] resolve(String host) throws UnknownHostException {
      try {
        return vetted(host);
      } catch (UnresolvedHostException e) {
        throw new UnknownHostException(host);
      } catch (RefusedUrlException e) {
        throw new RefusedAddressException(e.getMessage());
      }
    }

    @Override
    public List<InetSocketAddress> resolve(String host, int port) throws UnknownHostException {
      return Arrays.stream(resolve(host))
          .map(address -> new InetSocketAddress(address, port))
          .toList();
    }

    @Override
    public String resolveCanonicalHostname(String host) {
      return host;
    }
  }

  /** A refusal at connection time, in the exception type a resolver may throw. */
  private static final class RefusedAddressException extends UnknownHostException {
    RefusedAddressException(String reason) {
      super(reason);
    }
  }

  private CloseableHttpClient newClient() {
    Timeout connect = Timeout.of(settings.connectTimeout().toMillis(), TimeUnit.MILLISECONDS);
    Timeout read = Timeout.of(settings.timeout().toMillis(), TimeUnit.MILLISECONDS);
    return HttpClients.custom()
        .setConnectionManager(
            PoolingHttpClientConnectionManagerBuilder.create()
                .setDnsResolver(new GuardedDnsResolver())
                .setDefaultConnectionConfig(
                    ConnectionConfig.custom()
                        .setConnectTimeout(connect)
                        .setSocketTimeout(read)
                        .build())
                .build())
        .setDefaultRequestConfig(
            RequestConfig.custom().setResponseTimeout(read).setRedirectsEnabled(false).build())
        // No system proxy (it would resolve on its own), no redirects, no cookies shared between
        // users, no transparent decompression (the size limit applies to what is sent).
        .disableRedirectHandling()
        .disableCookieManagement()
        .disableContentCompression()
        .disableAutomaticRetries()
        .setUserAgent("Flowmate")
        .build();
  }
}
