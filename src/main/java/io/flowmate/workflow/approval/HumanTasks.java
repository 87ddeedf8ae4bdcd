package io.flowmate.workflow.approval;

import java.util.Map;

/**
 * Completes Camunda user tasks. A real cluster does it over REST ({@code CamundaClient}); the
 * embedded engine has no REST API and gets the command written onto its log.
 */
public interface HumanTasks {

  void complete(long userTaskKey, Map<String, Object> variables);
}
