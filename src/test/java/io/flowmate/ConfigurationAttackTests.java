package io.flowmate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flowmate.support.AppInstance;
import io.flowmate.support.IntegrationTest;
import io.flowmate.support.TestDatabase;
import java.io.IOException;
import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.web.ServerProperties;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.core.env.Environment;
import org.yaml.snakeyaml.Yaml;

/**
 * Attacks on the default install: secrets everybody knows (the compose file's placeholders) and
 * ports reachable from other machines without the operator having asked for it.
 */
@ExtendWith(OutputCaptureExtension.class)
class ConfigurationAttackTests extends IntegrationTest {

  private static final Path COMPOSE = Path.of("docker-compose.yml");

  /**
   * {@code ${NAME}}, {@code ${NAME:-default}}, {@code ${NAME-default}}, {@code ${NAME:?message}}.
   */
  private static final Pattern VARIABLE =
      Pattern.compile("\\$\\{([A-Za-z0-9_]+)(?:(:?[-?])([^}]*))?}");

  private static final Pattern SECRET_NAME = Pattern.compile(".*(PASSWORD|SECRET|KEY|TOKEN).*");

  @Autowired ServerProperties server;

  /** An attacker tries the compose file's well-known default secrets: there are none to try. */
  @Test
  void composeFileShipsNoSecretDefaults() throws IOException {
    String compose = Files.readString(COMPOSE);
    List<String> problems = new ArrayList<>();
    Matcher variable = VARIABLE.matcher(compose);
    while (variable.find()) {
      String name = variable.group(1);
      String operator = variable.group(2);
      String value = variable.group(3);
      if (!SECRET_NAME.matcher(name).matches()) {
        continue;
      }
      boolean required = operator != null && operator.endsWith("?") && !value.isBlank();
      boolean emptyDefault = operator != null && operator.endsWith("-") && value.isEmpty();
      // An empty default is only right where empty has a safe meaning (a generated admin key).
      if (!required && !(emptyDefault && name.equals("FLOWMATE_ADMIN_BOOTSTRAP_KEY"))) {
        problems.add(variable.group());
      }
    }
    assertThat(problems)
        .as("secrets must be required variables with a message, ${NAME:?...}")
        .isEmpty();
    assertThat(uncommented(compose)).doesNotContainIgnoringCase("change-me");
  }

  /** Every published port of the compose stack is bound to the host's loopback only. */
  @Test
  @SuppressWarnings("unchecked")
  void composePublishesPortsOnLoopbackOnly() throws IOException {
    Map<String, Object> compose = new Yaml().load(Files.readString(COMPOSE));
    Map<String, Map<String, Object>> services =
        (Map<String, Map<String, Object>>) compose.get("services");
    List<String> published = new ArrayList<>();
    services
        .values()
        .forEach(
            service -> published.addAll((List<String>) service.getOrDefault("ports", List.of())));

    assertThat(published)
        .isNotEmpty()
        .allSatisfy(port -> assertThat(port).startsWith("127.0.0.1:"));
    // Inside the stack Flowmate must listen on its network, or WAHA's webhooks never reach it.
    Map<String, Object> environment =
        (Map<String, Object>) services.get("flowmate").get("environment");
    assertThat(environment).containsEntry("SERVER_ADDRESS", "0.0.0.0");
  }

  /** Another machine connects to Flowmate's HTTP port: with no configuration nothing answers. */
  @Test
  void httpServerListensOnLoopbackOnlyByDefault() throws IOException {
    assertThat(server.getAddress()).isNotNull();
    assertThat(server.getAddress().isLoopbackAddress()).as(server.getAddress().toString()).isTrue();
    for (InetAddress address : nonLoopbackAddresses()) {
      try (Socket socket = new Socket()) {
        assertThatThrownBy(() -> socket.connect(new InetSocketAddress(address, port), 2000))
            .as("connecting through %s", address)
            .isInstanceOfAny(ConnectException.class, SocketTimeoutException.class);
      }
    }
  }

  /** Listening wider is an explicit setting, and every start with it says so in the log. */
  @Test
  void listeningBeyondLoopbackIsExplicitAndWarned(CapturedOutput output) throws IOException {
    try (AppInstance wide =
        AppInstance.start(TestDatabase.newDatabase(), Map.of("server.address", "0.0.0.0"))) {
      int widePort =
          wide.bean(Environment.class).getRequiredProperty("local.server.port", Integer.class);
      for (InetAddress address : nonLoopbackAddresses()) {
        try (Socket socket = new Socket()) {
          socket.connect(new InetSocketAddress(address, widePort), 2000);
        }
      }
    }

    assertThat(output.getOut()).contains("The HTTP server listens on 0.0.0.0");
  }

  /** The WAHA transport with the compose file's old placeholder webhook key does not start. */
  @Test
  void placeholderWebhookSecretStopsTheStart() {
    Map<String, Object> settings =
        Map.of(
            "flowmate.gateway.transport", "waha",
            "flowmate.gateway.waha.base-url", "http://127.0.0.1:9",
            "flowmate.gateway.waha.api-key", "a-real-key-0123456789abcdef",
            "flowmate.gateway.waha.webhook-secret", "change-me-waha-webhook-hmac-key");

    assertThatThrownBy(() -> AppInstance.start(TestDatabase.newDatabase(), settings).close())
        .hasStackTraceContaining("flowmate.gateway.waha.webhook-secret")
        .hasStackTraceContaining("placeholder");
  }

  /**
   * The WAHA transport with a placeholder API key (anyone could call WAHA with it) does not start.
   */
  @Test
  void placeholderApiKeyStopsTheStart() {
    Map<String, Object> settings =
        Map.of(
            "flowmate.gateway.transport", "waha",
            "flowmate.gateway.waha.base-url", "http://127.0.0.1:9",
            "flowmate.gateway.waha.api-key", "CHANGE_ME",
            "flowmate.gateway.waha.webhook-secret", "a-real-secret-0123456789abcdef");

    assertThatThrownBy(() -> AppInstance.start(TestDatabase.newDatabase(), settings).close())
        .hasStackTraceContaining("flowmate.gateway.waha.api-key")
        .hasStackTraceContaining("placeholder");
  }

  private static String uncommented(String yaml) {
    return yaml.lines()
        .map(line -> line.replaceFirst("(^|\\s)#.*$", ""))
        .reduce("", (a, b) -> a + b + "\n");
  }

  private static List<InetAddress> nonLoopbackAddresses() throws SocketException {
    List<InetAddress> addresses = new ArrayList<>();
    for (NetworkInterface network : Collections.list(NetworkInterface.getNetworkInterfaces())) {
      if (!network.isUp() || network.isLoopback()) {
        continue;
      }
      for (InetAddress address : Collections.list(network.getInetAddresses())) {
        if (address instanceof Inet4Address && !address.isLinkLocalAddress()) {
          addresses.add(address);
        }
      }
    }
    return addresses;
  }
}
