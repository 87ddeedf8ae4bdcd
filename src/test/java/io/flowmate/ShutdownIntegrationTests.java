package io.flowmate;

import static org.assertj.core.api.Assertions.assertThat;

import io.flowmate.core.db.EmbeddedPostgresServer;
import io.flowmate.support.Api;
import io.flowmate.support.AppInstance;
import io.flowmate.support.EventStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * Stopping the zero-set-up Flowmate (Ctrl-C, SIGTERM) while a client holds an event stream open: it
 * used to take over a minute (graceful shutdown waited 30 s for the stream, the embedded PostgreSQL
 * had already been stopped by its own shutdown hook, then 30 s of failed connections), which also
 * made {@code ./mvnw spring-boot:run} kill it and report a build failure. The stream is ended at
 * once with a last event, and PostgreSQL stops after everything that uses it.
 */
@ExtendWith(OutputCaptureExtension.class)
class ShutdownIntegrationTests {

  @TempDir Path dataDirectory;

  @Test
  void aStopWithAnOpenEventStreamTakesSecondsTellsTheClientAndStopsPostgresLast(
      CapturedOutput output) {
    AppInstance app =
        AppInstance.startWithoutDatabase(
            Map.of(
                "flowmate.db.embedded.data-directory",
                dataDirectory,
                // What a real start uses (the test profile stops immediately).
                "server.shutdown",
                "graceful",
                // Spring's default: a stream left open would hold the stop for 30 s.
                "spring.lifecycle.timeout-per-shutdown-phase",
                "30s"));
    long postmaster;
    EventStream stream;
    int logBeforeStop;
    long started;
    try {
      postmaster = app.bean(EmbeddedPostgresServer.class).postmasterPid();
      Api api = app.operator();
      String session = api.post("/api/v2/sessions", Map.of("name", "watched")).text("id");
      stream = EventStream.withTicket(app.port(), api, "/api/v2/sessions/" + session + "/events");
      stream.awaitConnected();
      logBeforeStop = output.length();
    } finally {
      started = System.nanoTime();
      app.close();
    }
    Duration stopping = Duration.ofNanos(System.nanoTime() - started);

    assertThat(stopping).isLessThan(Duration.ofSeconds(10));
    stream.awaitEnd();
    assertThat(stream.lines()).contains("event:stream.shutdown");
    assertThat(ProcessHandle.of(postmaster).map(ProcessHandle::isAlive).orElse(false))
        .as("the embedded PostgreSQL stopped with the application")
        .isFalse();
    String stopLog = output.toString().substring(logBeforeStop);
    assertThat(stopLog)
        .as("what was logged while stopping")
        .doesNotContain(" ERROR ")
        .doesNotContain("Exception")
        .doesNotContain("eventPublicationRegistry")
        .doesNotContain("HikariPool");
  }
}
