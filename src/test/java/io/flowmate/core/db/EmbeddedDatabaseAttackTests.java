package io.flowmate.core.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.SocketException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Attacks on the zero-set-up PostgreSQL (issue #11, item 1): it trusts every local connection
 * without a password, so it must not be reachable from the network.
 */
class EmbeddedDatabaseAttackTests {

  /** Attack: connect to the embedded PostgreSQL through a non-loopback address of the machine. */
  @Test
  void embeddedPostgresListensOnLoopbackOnly(@TempDir Path data) throws Exception {
    InetAddress external = nonLoopbackAddress();
    EmbeddedPostgresConfiguration configuration = new EmbeddedPostgresConfiguration();

    try (EmbeddedPostgresServer server =
        configuration.embeddedPostgres(
            new EmbeddedDatabaseSettings(data, 0, "flowmate", Duration.ofSeconds(60)))) {
      EmbeddedPostgres postgres = server.postgres();
      assertThat(setting(postgres, "listen_addresses")).isEqualTo("127.0.0.1");
      assertThatThrownBy(
              () -> {
                try (Socket socket = new Socket()) {
                  socket.connect(new InetSocketAddress(external, postgres.getPort()), 2_000);
                }
              })
          .as("connecting to %s:%d", external.getHostAddress(), postgres.getPort())
          .isInstanceOf(IOException.class);
    }
  }

  private static String setting(EmbeddedPostgres postgres, String name) throws SQLException {
    try (Connection connection = postgres.getPostgresDatabase().getConnection();
        ResultSet result = connection.createStatement().executeQuery("SHOW " + name)) {
      result.next();
      return result.getString(1);
    }
  }

  private static InetAddress nonLoopbackAddress() throws SocketException {
    return NetworkInterface.networkInterfaces()
        .filter(EmbeddedDatabaseAttackTests::isUp)
        .flatMap(NetworkInterface::inetAddresses)
        .filter(a -> a instanceof Inet4Address && !a.isLoopbackAddress() && !a.isLinkLocalAddress())
        .findFirst()
        .orElseThrow(() ->
            new IllegalStateException(
                "this machine has no non-loopback IPv4 address to test with"));
  }

  private static boolean isUp(NetworkInterface ni) {
    try {
      return ni.isUp() && !ni.isLoopback();
    } catch (SocketException e) {
      return false;
    }
  }
}
