package io.flowmate.workflow.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.RETURNS_DEEP_STUBS;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;

import io.camunda.client.CamundaClient;
import io.flowmate.workflow.EmbeddedEngine;
import io.flowmate.workflow.EngineEpoch;
import io.flowmate.workflow.EngineSettings;
import io.flowmate.workflow.approval.HumanTasks;
import java.net.URI;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * With {@code flowmate.engine.mode=remote} nothing embedded starts; the epoch is read from the
 * engine, lazily (see {@code EngineIdentityTests}).
 */
class EngineConfigurationTests {

  private final ApplicationContextRunner runner =
      new ApplicationContextRunner()
          .withUserConfiguration(EngineConfiguration.class, Settings.class)
          .withBean(CamundaClient.class, EngineConfigurationTests::client);

  @EnableConfigurationProperties(EngineSettings.class)
  static class Settings {}

  private static CamundaClient client() {
    CamundaClient client = mock(CamundaClient.class, RETURNS_DEEP_STUBS);
    when(client.getConfiguration().getGrpcAddress()).thenReturn(URI.create("http://camunda:26500"));
    return client;
  }

  @Test
  void remoteModeUsesTheClusterAndReadsTheEpochOnlyWhenAsked() {
    runner
        .withPropertyValues("flowmate.engine.mode=remote")
        .run(context -> {
          assertThat(context).doesNotHaveBean(EmbeddedEngine.class);
          assertThat(context).hasSingleBean(EngineEpoch.class);
          assertThat(context).hasSingleBean(HumanTasks.class);
          verifyNoInteractions(context.getBean(CamundaClient.class).newCreateInstanceCommand());
        });
  }
}
