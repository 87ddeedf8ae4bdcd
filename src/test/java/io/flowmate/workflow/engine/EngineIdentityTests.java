package io.flowmate.workflow.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.camunda.client.CamundaClient;
import io.camunda.zeebe.process.test.api.ZeebeTestEngine;
import io.camunda.zeebe.process.test.engine.EngineFactory;
import io.flowmate.workflow.EngineEpoch;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The engine's identity, stored in the engine and read over gRPC alone, on Zeebe's in-memory engine
 * (the one with the fewest APIs): every client of one engine reads the same identity, whatever it
 * connected through; a fresh engine has another.
 */
class EngineIdentityTests {

  private final List<AutoCloseable> opened = new java.util.ArrayList<>();

  @AfterEach
  void close() throws Exception {
    for (AutoCloseable closeable : opened.reversed()) {
      closeable.close();
    }
  }

  @Test
  void everyClientOfOneEngineReadsTheIdentityTheFirstOneGaveIt() {
    int port = startEngine();
    CamundaClient first = client("http://127.0.0.1:" + port);
    CamundaClient second = client("http://localhost:" + port);

    String given = EngineIdentity.read(first);
    String readBySecond = EngineIdentity.read(second);
    String readAgain = EngineIdentity.read(first);

    assertThat(EngineEpoch.isIdentity(given)).as(given).isTrue();
    assertThat(readBySecond).isEqualTo(given);
    assertThat(readAgain).isEqualTo(given);
  }

  @Test
  void aFreshEngineHasAnIdentityOfItsOwn() {
    String one = EngineIdentity.read(client("http://127.0.0.1:" + startEngine()));
    String other = EngineIdentity.read(client("http://127.0.0.1:" + startEngine()));

    assertThat(other).isNotEqualTo(one);
  }

  @Test
  void clientsThatFindNoIdentityAtTheSameMomentStillAgreeOnOne() {
    int port = startEngine();
    List<CamundaClient> clients =
        List.of(
            client("http://127.0.0.1:" + port),
            client("http://127.0.0.1:" + port),
            client("http://localhost:" + port));

    List<String> read =
        clients.stream()
            .map(c -> CompletableFuture.supplyAsync(() -> EngineIdentity.read(c)))
            .toList()
            .stream()
            .map(CompletableFuture::join)
            .toList();

    assertThat(read.stream().distinct()).hasSize(1);
  }

  @Test
  void onlyEpochsThatMayNameThisClusterHaveTheirOldInstancesCancelled() {
    EngineEpoch cluster = new EngineEpoch(() -> new EngineEpoch.Identity(identity(1), false));
    EngineEpoch embedded = new EngineEpoch(() -> new EngineEpoch.Identity(identity(1), true));

    assertThat(cluster.mayHoldInstancesOf(identity(1))).isTrue();
    assertThat(cluster.mayHoldInstancesOf(identity(2))).as("another engine").isFalse();
    assertThat(cluster.mayHoldInstancesOf("remote:http://camunda:26500")).isTrue();
    assertThat(cluster.mayHoldInstancesOf("embedded:1f0e6f7a-0000-4000-8000-000000000000"))
        .as("an in-memory engine of an earlier start")
        .isFalse();
    assertThat(cluster.mayHoldInstancesOf(null)).isFalse();
    // An engine started empty in this JVM holds nothing started before, whatever was recorded.
    assertThat(embedded.mayHoldInstancesOf("remote:http://camunda:26500")).isFalse();
  }

  private static String identity(int n) {
    return "engine:00000000-0000-4000-8000-00000000000" + n;
  }

  private int startEngine() {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    ZeebeTestEngine engine = EngineFactory.create(port);
    engine.start();
    opened.add(engine::stop);
    return port;
  }

  private CamundaClient client(String address) {
    CamundaClient client =
        CamundaClient.newClientBuilder()
            .grpcAddress(URI.create(address))
            .preferRestOverGrpc(false)
            .build();
    opened.add(client);
    return client;
  }
}
