package io.flowmate.support;

import io.flowmate.FlowmateApplication;
import java.util.HashMap;
import java.util.Map;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.servlet.context.ServletWebServerApplicationContext;

/**
 * A whole Flowmate started and stopped by a test, like a process that is restarted: same database,
 * new engine, new in-memory state.
 */
public final class AppInstance implements AutoCloseable {

  private final ServletWebServerApplicationContext context;

  private AppInstance(ServletWebServerApplicationContext context) {
    this.context = context;
  }

  /** Starts the application on a random port with the test profile and these extra properties. */
  public static AppInstance start(
      TestDatabase.Coordinates database, Map<String, Object> properties) {
    Map<String, Object> all = new HashMap<>(database.asProperties());
    all.put("server.port", 0);
    all.putAll(properties);
    // Command-line arguments outrank application.yml, as they would for a real start.
    return run(all);
  }

  public static AppInstance start(TestDatabase.Coordinates database) {
    return start(database, Map.of());
  }

  /** Starts the application with no datasource configured, as a new user's first run does. */
  public static AppInstance startWithoutDatabase(Map<String, Object> properties) {
    Map<String, Object> all = new HashMap<>(properties);
    all.put("server.port", 0);
    return run(all);
  }

  private static AppInstance run(Map<String, Object> properties) {
    String[] arguments =
        properties.entrySet().stream()
            .map(e -> "--" + e.getKey() + "=" + e.getValue())
            .toArray(String[]::new);
    return new AppInstance(
        (ServletWebServerApplicationContext)
            new SpringApplicationBuilder(FlowmateApplication.class)
                .profiles("test")
                .run(arguments));
  }

  public Api api(String key) {
    return new Api("http://localhost:" + context.getWebServer().getPort(), key);
  }

  /** The HTTP port it listens on. */
  public int port() {
    return context.getWebServer().getPort();
  }

  public Api operator() {
    return api(IntegrationTest.OPERATOR_KEY);
  }

  public <T> T bean(Class<T> type) {
    return context.getBean(type);
  }

  /** Publishes an application event inside this instance. */
  public void publish(Object event) {
    context.publishEvent(event);
  }

  @Override
  public void close() {
    context.close();
  }
}
