package io.flowmate.workflow;

import java.util.Map;

/**
 * Completes Camunda user tasks. A real cluster does it over REST ({@code CamundaClient}); the
 * embedded engine has no REST API and gets the command written onto its log.
 */
interface HumanTasks {

  void complete(long userTaskKey, Map<String, Object> variables);
}
