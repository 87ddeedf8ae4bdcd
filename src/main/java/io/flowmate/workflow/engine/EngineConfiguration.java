package io.flowmate.workflow.engine;

import io.camunda.client.CamundaClient;
import io.flowmate.workflow.EmbeddedEngine;
import io.flowmate.workflow.EngineEpoch;
import io.flowmate.workflow.approval.HumanTasks;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Chooses the embedded or the remote way of doing what only a real cluster offers. */
@Configuration(proxyBeanMethods = false)
class EngineConfiguration {

  @Bean
  HumanTasks humanTasks(ObjectProvider<EmbeddedEngine> embedded, CamundaClient client) {
    EmbeddedEngine engine = embedded.getIfAvailable();
    if (engine != null) {
      return engine::completeUserTask;
    }
    return (userTaskKey, variables) ->
        client.newCompleteUserTaskCommand(userTaskKey).variables(variables).send().join();
  }

  /** The same in both modes: the identity stored in the engine, read over gRPC. */
  @Bean
  EngineEpoch engineEpoch(ObjectProvider<EmbeddedEngine> embedded, CamundaClient client) {
    boolean startedHereEmpty = embedded.getIfAvailable() != null;
    return new EngineEpoch(
        () -> new EngineEpoch.Identity(EngineIdentity.read(client), startedHereEmpty));
  }
}
