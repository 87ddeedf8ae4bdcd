package io.flowmate.workflow;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.camunda.zeebe.logstreams.log.LogStream;
import io.camunda.zeebe.logstreams.log.LogStreamReader;
import io.camunda.zeebe.logstreams.log.LoggedEvent;
import io.camunda.zeebe.process.test.api.ZeebeTestEngine;
import io.camunda.zeebe.process.test.engine.EngineFactory;
import io.camunda.zeebe.protocol.impl.encoding.MsgPackConverter;
import io.camunda.zeebe.protocol.impl.record.RecordMetadata;
import io.camunda.zeebe.protocol.impl.record.UnifiedRecordValue;
import io.camunda.zeebe.protocol.impl.record.value.deployment.DeploymentRecord;
import io.camunda.zeebe.protocol.impl.record.value.usertask.UserTaskRecord;
import io.camunda.zeebe.protocol.record.RecordType;
import io.camunda.zeebe.protocol.record.ValueType;
import io.camunda.zeebe.protocol.record.intent.DeploymentIntent;
import io.camunda.zeebe.protocol.record.intent.UserTaskIntent;
import io.flowmate.workflow.engine.EngineDeployment;
import io.grpc.BindableService;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.netty.NettyServerBuilder;
import io.netty.channel.ChannelOption;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import org.agrona.concurrent.UnsafeBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;

/**
 * Zeebe's in-memory engine, started inside this JVM for the zero-set-up run, with a gRPC gateway on
 * {@code flowmate.engine.port} that the Camunda client (and Camunda Modeler) connect to.
 *
 * <p>It keeps all state in memory: a restart loses every process instance, which is why PostgreSQL
 * is the source of truth and each start is a new engine with an identity of its own (see {@link
 * EngineEpoch}). It has no REST API, so the one REST-only command Flowmate needs, completing a
 * Camunda user task, is written straight onto the engine's log ({@link #completeUserTask}); that
 * touches engine internals and is pinned to the engine version in the POM.
 */
@Component
@ConditionalOnProperty(
    name = "flowmate.engine.mode",
    havingValue = "embedded",
    matchIfMissing = true)
public class EmbeddedEngine implements DisposableBean {

  private static final Logger log = LoggerFactory.getLogger(EmbeddedEngine.class);

  private final InetSocketAddress address;
  private final ObjectMapper json = new ObjectMapper();

  // Replaced together when the engine is recycled (see replace()).
  private volatile ZeebeTestEngine engine;
  private volatile LogWriter logWriter;
  private LogStreamReader deploymentLogReader;
  private long deploymentLogPosition = -1;

  /** How far increaseTime moved the engine clock: a replacement engine starts as far ahead. */
  private Duration timeOffset = Duration.ZERO;

  /** Deployment commands read but not yet answered, by log position. */
  private final Map<Long, List<EngineDeployment.Resource>> deploymentCommands = new HashMap<>();

  EmbeddedEngine(EngineSettings settings) {
    this.address = new InetSocketAddress(settings.address(), settings.port());
    if (address.isUnresolved()) {
      throw new IllegalStateException(
          "flowmate.engine.address '%s' is not an address of this machine"
              .formatted(settings.address()));
    }
    long started = System.nanoTime();
    use(startEngine(address));
    if (!address.getAddress().isLoopbackAddress()) {
      log.warn(
          "The embedded engine's gRPC port listens on {}:{} without any authentication: whoever"
              + " reaches it can deploy processes, start instances and complete jobs. Keep it behind"
              + " a firewall, or set flowmate.engine.address=127.0.0.1",
          settings.address(),
          settings.port());
    }
    log.info(
        "Embedded Zeebe engine started in {} ms, gRPC on port {} (state is in memory only)",
        (System.nanoTime() - started) / 1_000_000,
        settings.port());
  }

  private static ZeebeTestEngine startEngine(InetSocketAddress address) {
    RuntimeException failure = null;
    // A replacement binds the port the previous engine has just released; give the OS a moment.
    for (int attempt = 0; attempt < 10; attempt++) {
      ZeebeTestEngine engine = EngineFactory.create(address.getPort());
      try {
        bindTo(engine, address);
        engine.start();
        return engine;
      } catch (RuntimeException e) {
        failure = e;
        try {
          engine.stop();
        } catch (RuntimeException ignored) {
          // it never started
        }
        try {
          Thread.sleep(200);
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          break;
        }
      }
    }
    throw new IllegalStateException(
        "The embedded Zeebe engine could not start on %s:%d (in use? set flowmate.engine.port)"
            .formatted(address.getHostString(), address.getPort()),
        failure);
  }

  /** Makes a started engine the current one, with fresh log readers. */
  private void use(ZeebeTestEngine started) {
    this.engine = started;
    this.logWriter = LogWriter.of(started);
    this.deploymentLogReader = LogWriter.logStream(started).newLogStreamReader();
    this.deploymentLogPosition = -1;
    this.deploymentCommands.clear();
  }

  /**
   * ZPT's factory builds a gRPC server on every interface ({@code ServerBuilder.forPort}); before
   * it starts, it is replaced by one on {@code address} serving the same gateway, which accepts
   * commands only for jobs it handed out itself ({@link IssuedJobs}).
   */
  private static void bindTo(ZeebeTestEngine engine, InetSocketAddress address) {
    try {
      BindableService gateway = (BindableService) LogWriter.field(engine, "gateway");
      Server server =
          NettyServerBuilder.forAddress(address)
              // A replacement engine listens again on the port connections were just closed on.
              .withOption(ChannelOption.SO_REUSEADDR, true)
              .addService(ServerInterceptors.intercept(gateway, new IssuedJobs()))
              .build();
      Field field = engine.getClass().getDeclaredField("grpcServer");
      field.setAccessible(true);
      field.set(engine, server);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(
          "This version of the embedded engine does not have the expected internals", e);
    }
  }

  public int port() {
    return address.getPort();
  }

  /** The addresses the gRPC gateway listens on (what reaches the engine from outside). */
  public List<InetSocketAddress> listenAddresses() {
    try {
      Server server = (Server) LogWriter.field(engine, "grpcServer");
      return server.getListenSockets().stream()
          .filter(InetSocketAddress.class::isInstance)
          .map(InetSocketAddress.class::cast)
          .toList();
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(
          "This version of the embedded engine does not have the expected internals", e);
    }
  }

  /** Moves the engine clock forward, firing due timers (process tests use this, never sleeps). */
  public void increaseTime(Duration duration) {
    synchronized (this) {
      engine.increaseTime(duration);
      timeOffset = timeOffset.plus(duration);
    }
    waitForIdleState(Duration.ofSeconds(10));
  }

  /**
   * Stops this engine and starts a fresh, empty one on the same address, with an identity of its
   * own (see {@link EngineEpoch}) and the same clock; what ran on the old one is gone. Only {@link
   * EngineRecycler} calls this, with calls to the engine paused.
   *
   * @return the previous engine's figures, read just before it stopped
   */
  synchronized Figures replace() {
    ZeebeTestEngine old = engine;
    Figures figures = figures();
    try {
      // Let it finish what it was given (a job completed a moment ago) before it stops.
      old.waitForIdleState(Duration.ofSeconds(5));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (TimeoutException e) {
      log.warn("The embedded engine was still busy when it was replaced");
    }
    old.stop();
    release(old);
    ZeebeTestEngine fresh = startEngine(address);
    if (!timeOffset.isZero()) {
      fresh.increaseTime(timeOffset);
    }
    use(fresh);
    return figures;
  }

  /**
   * Empties a stopped engine's log, state and record cache. Parts of a stopped engine stay
   * reachable from objects it shared with the JVM (seen: its log stream and gateway after a
   * recycle), and with them everything it ever wrote; emptied, they hold almost nothing.
   */
  private static void release(ZeebeTestEngine stopped) {
    try {
      Object storage = LogWriter.field(LogWriter.logStream(stopped), "logStorage");
      ((java.util.Collection<?>) LogWriter.field(storage, "logEntries")).clear();
      ((Map<?, ?>) LogWriter.field(storage, "positionIndexMapping")).clear();
      ((Map<?, ?>) LogWriter.field(LogWriter.field(stopped, "database"), "database")).clear();
      ((java.util.Collection<?>)
              LogWriter.field(LogWriter.field(stopped, "recordStream"), "records"))
          .clear();
    } catch (ReflectiveOperationException | RuntimeException e) {
      log.warn(
          "Could not empty the replaced engine's memory; it is freed only if nothing refers to it:"
              + " {}",
          e.toString());
    }
  }

  /**
   * What the current engine holds.
   *
   * @param logEntries entries (batches of records) in its log, which it keeps in memory until it
   *     stops; -1 if unknown
   * @param jobStreams job types workers stream jobs of (they reconnect after a replacement)
   */
  public record Figures(long logEntries, int jobStreams) {}

  public synchronized Figures figures() {
    try {
      Object gateway = LogWriter.field(engine, "gateway");
      Object streamer = LogWriter.field(gateway, "jobStreamer");
      Map<?, ?> streams = (Map<?, ?>) LogWriter.field(streamer, "streams");
      Object storage = LogWriter.field(LogWriter.logStream(engine), "logStorage");
      List<?> entries = (List<?>) LogWriter.field(storage, "logEntries");
      return new Figures(entries.size(), streams.size());
    } catch (ReflectiveOperationException | RuntimeException e) {
      return new Figures(-1, -1);
    }
  }

  /** Waits until the engine has processed everything written to its log so far. */
  public void waitForIdleState(Duration timeout) {
    try {
      engine.waitForIdleState(timeout);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (TimeoutException e) {
      throw new IllegalStateException("The embedded engine did not become idle within " + timeout);
    }
  }

  /** The engine's record stream, for process tests that assert on what the engine did. */
  public io.camunda.zeebe.process.test.api.RecordStreamSource recordStream() {
    return engine.getRecordStreamSource();
  }

  /**
   * Writes a {@code USER_TASK COMPLETE} command for the task, as the REST endpoint {@code POST
   * /v2/user-tasks/{key}/completion} of a real cluster would.
   */
  public void completeUserTask(long userTaskKey, Map<String, Object> variables) {
    UserTaskRecord command = new UserTaskRecord().setUserTaskKey(userTaskKey).setAction("complete");
    if (!variables.isEmpty()) {
      try {
        byte[] msgPack = MsgPackConverter.convertToMsgPack(json.writeValueAsString(variables));
        command.setVariables(new UnsafeBuffer(msgPack));
      } catch (JsonProcessingException e) {
        throw new IllegalArgumentException("Variables are not JSON-serialisable", e);
      }
    }
    RecordMetadata metadata =
        new RecordMetadata()
            .recordType(RecordType.COMMAND)
            .valueType(ValueType.USER_TASK)
            .intent(UserTaskIntent.COMPLETE)
            .requestStreamId(1);
    logWriter.write(userTaskKey, command, metadata);
  }

  /**
   * The deployments written to the engine's log since the previous call, whoever made them
   * (Flowmate at start-up, Camunda Modeler, any Zeebe client). Reads the log incrementally, keeping
   * nothing but the position.
   *
   * <p>The in-memory log is not made for readers on other threads, so it is read only while the
   * engine is idle (otherwise this call returns nothing and the next one catches up), and a reader
   * that stops advancing is abandoned rather than trusted.
   */
  public synchronized List<EngineDeployment> readNewDeployments() {
    try {
      engine.waitForIdleState(Duration.ofMillis(500));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return List.of();
    } catch (TimeoutException e) {
      return List.of();
    }
    if (deploymentLogPosition < 0) {
      deploymentLogReader.seekToFirstEvent();
    } else {
      deploymentLogReader.seekToNextEvent(deploymentLogPosition);
    }
    List<EngineDeployment> deployments = new ArrayList<>();
    RecordMetadata metadata = new RecordMetadata();
    while (deploymentLogReader.hasNext()) {
      LoggedEvent event = deploymentLogReader.next();
      if (event.getPosition() <= deploymentLogPosition) {
        log.warn("The engine log reader stopped advancing at position {}", deploymentLogPosition);
        break;
      }
      deploymentLogPosition = event.getPosition();
      metadata.reset();
      event.readMetadata(metadata);
      if (metadata.getValueType() != ValueType.DEPLOYMENT) {
        continue;
      }
      DeploymentRecord record = new DeploymentRecord();
      event.readValue(record);
      if (metadata.getRecordType() == RecordType.COMMAND
          && metadata.getIntent() == DeploymentIntent.CREATE) {
        // The resources travel in the command; the CREATED event that follows omits them.
        deploymentCommands.put(event.getPosition(), resources(record));
      } else {
        List<EngineDeployment.Resource> resources =
            deploymentCommands.remove(event.getSourceEventPosition());
        if (metadata.getRecordType() == RecordType.EVENT
            && metadata.getIntent() == DeploymentIntent.CREATED
            && resources != null) {
          deployments.add(toDeployment(event.getKey(), record, resources));
        }
      }
    }
    return deployments;
  }

  private static List<EngineDeployment.Resource> resources(DeploymentRecord record) {
    return record.getResources().stream()
        .map(r -> new EngineDeployment.Resource(r.getResourceName(), r.getResource()))
        .toList();
  }

  private static EngineDeployment toDeployment(
      long key, DeploymentRecord record, List<EngineDeployment.Resource> resources) {
    List<DeployedProcess> processes =
        record.getProcessesMetadata().stream()
            .map(p ->
                new DeployedProcess(
                    p.getBpmnProcessId(),
                    p.getVersion(),
                    p.getProcessDefinitionKey(),
                    p.getResourceName(),
                    false))
            .toList();
    Set<String> definedIds = new HashSet<>();
    record.getProcessesMetadata().forEach(p -> definedIds.add(p.getBpmnProcessId()));
    record.getDecisionsMetadata().forEach(d -> definedIds.add(d.getDecisionId()));
    record
        .getDecisionRequirementsMetadata()
        .forEach(d -> definedIds.add(d.getDecisionRequirementsId()));
    record.getFormMetadata().forEach(f -> definedIds.add(f.getFormId()));
    return new EngineDeployment(
        key, resources, processes, Set.copyOf(definedIds), record.hasDuplicatesOnly());
  }

  @Override
  public synchronized void destroy() {
    engine.stop();
    log.info("Embedded Zeebe engine stopped");
  }

  /** Reaches the engine's log writer and log stream, which ZPT does not expose. */
  private record LogWriter(Object writer, Method writeWithKey) {

    static LogWriter of(ZeebeTestEngine engine) {
      try {
        Object gateway = field(engine, "gateway");
        Object writer = field(gateway, "writer");
        Method method =
            writer
                .getClass()
                .getDeclaredMethod(
                    "writeCommandWithKey",
                    Long.class,
                    UnifiedRecordValue.class,
                    RecordMetadata.class);
        method.setAccessible(true);
        return new LogWriter(writer, method);
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException(
            "This version of the embedded engine does not have the expected internals", e);
      }
    }

    static LogStream logStream(ZeebeTestEngine engine) {
      try {
        return (LogStream) field(engine, "logStream");
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException(
            "This version of the embedded engine does not have the expected internals", e);
      }
    }

    void write(long key, UnifiedRecordValue value, RecordMetadata metadata) {
      try {
        writeWithKey.invoke(writer, key, value, metadata);
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException("Could not write to the embedded engine's log", e);
      }
    }

    private static Object field(Object target, String name) throws ReflectiveOperationException {
      Field field = target.getClass().getDeclaredField(name);
      field.setAccessible(true);
      return field.get(target);
    }
  }
}
