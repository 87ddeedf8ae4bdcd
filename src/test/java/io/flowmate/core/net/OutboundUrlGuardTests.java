package io.flowmate.core.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.util.unit.DataSize;

/**
 * The outbound-URL guard on its own, as an attacker would probe it: every spelling of an internal
 * address, names that resolve inside, DNS rebinding between check and connection, redirects, and
 * bodies too large or too slow. DNS is a map in these tests; servers run on the loopback interface.
 */
class OutboundUrlGuardTests {

  private static final InetAddress PUBLIC = address("93.184.216.34");
  private static final InetAddress LOOPBACK = address("127.0.0.1");

  private final Map<String, InetAddress[]> dns = new ConcurrentHashMap<>();
  private final List<String> requested = new CopyOnWriteArrayList<>();
  private HttpServer server;
  private final CountDownLatch release = new CountDownLatch(1);

  @BeforeEach
  void loopbackServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress(LOOPBACK, 0), 0);
    server.createContext(
        "/cat.jpg",
        exchange -> {
          requested.add(exchange.getRequestURI().getPath());
          exchange.getResponseHeaders().add("Content-Type", "image/jpeg");
          exchange.sendResponseHeaders(200, 4);
          exchange.getResponseBody().write(new byte[] {1, 2, 3, 4});
          exchange.close();
        });
    server.createContext(
        "/big",
        exchange -> {
          requested.add(exchange.getRequestURI().getPath());
          exchange.getResponseHeaders().add("Content-Type", "video/mp4");
          // Chunked (no Content-Length): the limit must hold while reading, not only by the header.
          exchange.sendResponseHeaders(200, 0);
          exchange.getResponseBody().write(new byte[2048]);
          exchange.close();
        });
    server.createContext(
        "/to-metadata",
        exchange -> {
          requested.add(exchange.getRequestURI().getPath());
          exchange.getResponseHeaders().add("Location", "http://169.254.169.254/latest/meta-data/");
          exchange.sendResponseHeaders(302, -1);
          exchange.close();
        });
    server.createContext(
        "/slow",
        exchange -> {
          requested.add(exchange.getRequestURI().getPath());
          try {
            release.await();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          exchange.close();
        });
    server.createContext(
        "/gone",
        exchange -> {
          exchange.sendResponseHeaders(404, -1);
          exchange.close();
        });
    server.createContext(
        "/busy",
        exchange -> {
          exchange.sendResponseHeaders(503, -1);
          exchange.close();
        });
    server.setExecutor(Executors.newCachedThreadPool());
    server.start();
  }

  @AfterEach
  void stop() {
    release.countDown();
    server.stop(0);
  }

  /**
   * Internal addresses in every spelling: decimal, hex, octal, short forms, IPv6 forms that embed
   * IPv4.
   */
  @ParameterizedTest(name = "[{index}] {0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "http://169.254.169.254/latest/meta-data/ | 169.254.169.254 is a link-local address",
        "http://2852039166/                       | '2852039166' resolves to 169.254.169.254",
        "http://0xa9fea9fe/                       | 169.254.169.254",
        "http://0xA9.0xFE.0xA9.0xFE/              | 169.254.169.254",
        "http://0251.0376.0251.0376/              | 169.254.169.254",
        "http://169.254.43518/                    | 169.254.169.254",
        "http://0x7f.1/                           | '0x7f.1' resolves to 127.0.0.1, a loopback address",
        "http://127.1/                            | 127.0.0.1",
        "http://017700000001/                     | 127.0.0.1",
        "http://127.0.0.1:8080/                   | loopback",
        "http://[::1]/                            | loopback",
        "http://[::ffff:169.254.169.254]/         | 169.254.169.254",
        "http://[::ffff:7f00:1]/                  | 127.0.0.1",
        "http://[::169.254.169.254]/              | a form of 169.254.169.254",
        "http://[64:ff9b::a9fe:a9fe]/             | a form of 169.254.169.254",
        "http://[2002:a9fe:a9fe::1]/              | a form of 169.254.169.254",
        "http://[::]/                             | unspecified",
        "http://0.0.0.0/                          | unspecified",
        "http://0/                                | unspecified",
        "http://10.1.2.3/                         | private",
        "http://172.31.255.255/                   | private",
        "http://192.168.0.10/                     | private",
        "http://100.64.0.1/                       | shared (carrier-grade NAT)",
        "http://[fd12:3456::1]/                   | unique-local",
        "http://[fe80::1]/                        | link-local",
        "http://239.255.255.250/                  | multicast",
        "http://[ff02::1]/                        | multicast",
        "http://255.255.255.255/                  | broadcast",
        "http://metadata.google.internal/         | cloud metadata host name",
        "http://METADATA.google.internal./        | cloud metadata host name",
        "http://256.1.1.1/                        | not a valid IP address",
        "ftp://files.example/a.jpg                | only http(s) URLs",
        "file:///etc/passwd                       | only http(s) URLs",
        "jar:http://files.example/a.jar!/x        | only http(s) URLs",
        "http://admin:pw@files.example/           | user name or password",
        "http:///nohost                           | no valid host",
        "' '                                      | empty"
      })
  void internalAndMalformedUrlsAreRefused(String url, String because) {
    OutboundUrls guard = guard(List.of());

    assertThatThrownBy(() -> guard.check(url))
        .isInstanceOf(RefusedUrlException.class)
        .hasMessageContaining(because);
  }

  /** A public host name that resolves to an internal address. */
  @ParameterizedTest
  @ValueSource(
      strings = {
        "127.0.0.1",
        "169.254.169.254",
        "10.0.0.1",
        "::1",
        "::ffff:192.168.1.1",
        "fd00::1"
      })
  void aNameResolvingInsideIsRefused(String inside) {
    dns.put("files.example", new InetAddress[] {address(inside)});

    assertThatThrownBy(() -> guard(List.of()).check("https://files.example/cat.jpg"))
        .isInstanceOf(RefusedUrlException.class)
        .hasMessageContaining("'files.example' resolves to");
  }

  /** One internal address among public ones is enough to refuse: the client might pick it. */
  @Test
  void oneInternalAddressAmongManyIsRefused() {
    dns.put("files.example", new InetAddress[] {PUBLIC, address("169.254.169.254")});

    assertThatThrownBy(() -> guard(List.of()).check("https://files.example/cat.jpg"))
        .hasMessageContaining("169.254.169.254");
  }

  /** A host that does not resolve cannot be checked, so it is refused. */
  @Test
  void anUnresolvableHostIsRefused() {
    assertThatThrownBy(() -> guard(List.of()).check("https://nowhere.example/cat.jpg"))
        .isInstanceOf(RefusedUrlException.class)
        .hasMessageContaining("could not be resolved");
  }

  @Test
  void publicAddressesPass() {
    dns.put(
        "files.example", new InetAddress[] {PUBLIC, address("2606:2800:220:1:248:1893:25c8:1946")});
    OutboundUrls guard = guard(List.of());

    assertThat(guard.check("https://files.example/cat.jpg")).hasHost("files.example");
    assertThat(guard.check("http://93.184.216.34/a.png").getHost()).isEqualTo("93.184.216.34");
    assertThat(guard.check("http://[2606:2800:220:1:248:1893:25c8:1946]/").getHost())
        .startsWith("[2606");
  }

  /** allowed-hosts exempts by name, by address and by block, and nothing else. */
  @Test
  void allowedHostsExemptOnlyWhatTheyName() {
    dns.put("media.lan", new InetAddress[] {address("192.168.1.20")});
    dns.put("nas.lan", new InetAddress[] {address("192.168.1.30")});
    dns.put("other.lan", new InetAddress[] {address("192.168.2.30")});
    OutboundUrls guard = guard(List.of("media.lan", "10.0.0.7", "192.168.1.0/24", "fd00::/8"));

    assertThat(guard.check("http://media.lan/a.jpg")).isNotNull();
    assertThat(guard.check("http://MEDIA.LAN./a.jpg")).isNotNull();
    assertThat(guard.check("http://10.0.0.7/a.jpg")).isNotNull();
    assertThat(guard.check("http://nas.lan/a.jpg")).isNotNull();
    assertThat(guard.check("http://[fd00::5]/a.jpg")).isNotNull();
    assertThat(guard.check("http://[::ffff:192.168.1.9]/a.jpg")).isNotNull();
    assertThatThrownBy(() -> guard.check("http://10.0.0.8/")).hasMessageContaining("private");
    assertThatThrownBy(() -> guard.check("http://other.lan/")).hasMessageContaining("192.168.2.30");
    assertThatThrownBy(() -> guard.check("http://169.254.169.254/"))
        .hasMessageContaining("link-local");
  }

  @Test
  void aMistypedAllowedHostStopsTheStart() {
    assertThatThrownBy(() -> guard(List.of("10.0.0.0/33")))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void anAllowedHostIsDownloaded() {
    dns.put("media.test", new InetAddress[] {LOOPBACK});
    OutboundUrls guard = guard(List.of("media.test"));

    OutboundUrls.Download download = guard.get(URI.create(url("media.test", "/cat.jpg")));

    assertThat(download.content()).containsExactly(1, 2, 3, 4);
    assertThat(download.contentType()).isEqualTo("image/jpeg");
  }

  /**
   * The connection goes to the address the guard checked (pinned), not to one the client looks up
   * on its own: {@code pinned.test} exists only in the guard's resolver.
   */
  @Test
  void theConnectionGoesToTheCheckedAddress() {
    dns.put("pinned.test", new InetAddress[] {LOOPBACK});
    OutboundUrls guard = guard(List.of("127.0.0.1/32"));

    assertThat(guard.get(URI.create(url("pinned.test", "/cat.jpg"))).content()).hasSize(4);
    assertThat(requested).containsExactly("/cat.jpg");
  }

  /** DNS rebinding: public when the URL is accepted, loopback when it is fetched. */
  @Test
  void aHostThatRebindsToLoopbackIsRefusedAtConnectionTime() {
    AtomicInteger lookups = new AtomicInteger();
    OutboundUrls guard =
        new OutboundUrls(
            settings(List.of(), Duration.ofSeconds(5), DataSize.ofMegabytes(1)),
            host -> new InetAddress[] {lookups.getAndIncrement() == 0 ? PUBLIC : LOOPBACK});
    URI url = guard.check(url("rebind.test", "/cat.jpg"));

    assertThatThrownBy(() -> guard.get(url))
        .isInstanceOf(RefusedUrlException.class)
        .hasMessageContaining("'rebind.test' resolves to 127.0.0.1, a loopback address");
    assertThat(requested).isEmpty();
  }

  /**
   * A host that stops resolving between check and download is not refused for good: DNS may be back
   * later.
   */
  @Test
  void aHostThatStopsResolvingMayBeTriedAgain() {
    dns.put("flaky.test", new InetAddress[] {PUBLIC});
    OutboundUrls guard = guard(List.of());
    URI url = guard.check(url("flaky.test", "/cat.jpg"));
    dns.remove("flaky.test");

    assertThatThrownBy(() -> guard.get(url))
        .isInstanceOf(DownloadException.class)
        .hasMessageContaining("could not be resolved")
        .matches(e -> ((DownloadException) e).retryable());
  }

  /** The same holds for other requests (a webhook's POST) made with the guard's client. */
  @Test
  void theSharedClientRefusesInternalAddressesToo() {
    OutboundUrls guard = guard(List.of());

    assertThatThrownBy(() ->
            guard.client().execute(new HttpPost(url("127.0.0.1", "/cat.jpg")), r -> r.getCode()))
        .isInstanceOf(UnknownHostException.class)
        .hasMessageContaining("loopback");
    assertThat(requested).isEmpty();
  }

  /** A redirect from an allowed host to the metadata service is not followed. */
  @Test
  void aRedirectIsNotFollowed() {
    OutboundUrls guard = guard(List.of("localhost"));

    assertThatThrownBy(() -> guard.get(URI.create(url("localhost", "/to-metadata"))))
        .isInstanceOf(DownloadException.class)
        .hasMessageContaining("redirect to http://169.254.169.254/latest/meta-data/")
        .hasMessageContaining("not followed")
        .matches(e -> !((DownloadException) e).retryable());
    assertThat(requested).containsExactly("/to-metadata");
  }

  /** A body larger than the limit is cut off while reading, with or without Content-Length. */
  @Test
  void aBodyOverTheLimitIsRefused() {
    OutboundUrls guard = guard(List.of("localhost"));

    assertThatThrownBy(() -> guard.get(URI.create(url("localhost", "/big")), 1000))
        .isInstanceOf(DownloadException.class)
        .hasMessageContaining("larger than 1000 bytes");
    assertThatThrownBy(() -> guard.get(URI.create(url("localhost", "/cat.jpg")), 3))
        .hasMessageContaining("larger than 3 bytes");
  }

  /**
   * A server that never answers holds the download only until the timeout; it may be tried again.
   */
  @Test
  void aServerThatNeverAnswersTimesOut() {
    OutboundUrls guard =
        new OutboundUrls(
            settings(List.of("localhost"), Duration.ofMillis(300), DataSize.ofMegabytes(1)),
            this::lookUp);

    assertThatThrownBy(() -> guard.get(URI.create(url("localhost", "/slow"))))
        .isInstanceOf(DownloadException.class)
        .hasMessageContaining("did not answer")
        .matches(e -> ((DownloadException) e).retryable());
  }

  @Test
  void clientErrorsAreFinalAndServerErrorsMayBeRetried() {
    OutboundUrls guard = guard(List.of("localhost"));

    assertThatThrownBy(() -> guard.get(URI.create(url("localhost", "/gone"))))
        .hasMessageContaining("404")
        .matches(e -> !((DownloadException) e).retryable());
    assertThatThrownBy(() -> guard.get(URI.create(url("localhost", "/busy"))))
        .hasMessageContaining("503")
        .matches(e -> ((DownloadException) e).retryable());
  }

  private OutboundUrls guard(List<String> allowedHosts) {
    return new OutboundUrls(
        settings(allowedHosts, Duration.ofSeconds(5), DataSize.ofMegabytes(1)), this::lookUp);
  }

  private static OutboundSettings settings(
      List<String> allowedHosts, Duration timeout, DataSize max) {
    return new OutboundSettings(allowedHosts, Duration.ofSeconds(2), timeout, max);
  }

  /** Test DNS: the map, and {@code localhost} as the loopback server's address. */
  private InetAddress[] lookUp(String host) throws UnknownHostException {
    if (host.equals("localhost")) {
      return new InetAddress[] {LOOPBACK};
    }
    InetAddress[] found = dns.get(host);
    if (found == null) {
      throw new UnknownHostException(host);
    }
    return found;
  }

  private String url(String host, String path) {
    return "http://" + host + ":" + server.getAddress().getPort() + path;
  }

  private static InetAddress address(String literal) {
    try {
      return InetAddress.getByName(literal);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(e);
    }
  }
}
