package io.flowmate.workflow;

import io.flowmate.workflow.approval.HumanTasks;
import java.util.Map;
import org.springframework.context.ApplicationContext;

/**
 * Does in tests what a person does in Camunda Tasklist: completes a user task with the form's
 * variables, bypassing Flowmate's approvals API.
 */
public final class Tasklist {

  private final HumanTasks humanTasks;

  public Tasklist(ApplicationContext context) {
    this.humanTasks = context.getBean(HumanTasks.class);
  }

  public void complete(long userTaskKey, Map<String, Object> formVariables) {
    humanTasks.complete(userTaskKey, formVariables);
  }
}
