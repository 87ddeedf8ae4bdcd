package io.flowmate.workflow.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.camunda.zeebe.model.bpmn.Bpmn;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The ids a resource claims are read from the resource itself, and untrusted XML stays inert. */
class ResourceIdsTests {

  @Test
  void bpmnDefinesItsProcessIds() {
    String xml =
        Bpmn.convertToString(
            Bpmn.createExecutableProcess("order-check").startEvent().endEvent().done());

    assertThat(ResourceIds.of("order.bpmn", bytes(xml))).containsExactly("order-check");
  }

  @Test
  void dmnDefinesItsDecisionsAndItsDecisionGraph() {
    String xml =
        """
        <definitions xmlns="https://www.omg.org/spec/DMN/20191111/MODEL/" id="Graph" name="g" namespace="x">
          <decision id="leads-status-transition" name="d"/>
        </definitions>
        """;

    assertThat(ResourceIds.of("policy.dmn", bytes(xml)))
        .containsExactlyInAnyOrder("Graph", "leads-status-transition");
  }

  @Test
  void formDefinesItsId() {
    assertThat(
            ResourceIds.of(
                "a.form", bytes("{\"id\": \"messaging-approval-form\", \"components\": []}")))
        .containsExactly("messaging-approval-form");
  }

  /** Attack: an external entity in an uploaded model, to read a file of the server. */
  @Test
  void doctypesAreRefusedSoThatNoEntityIsResolved() {
    String xml =
        """
        <?xml version="1.0"?>
        <!DOCTYPE d [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
        <definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL">
          <process id="&secret;"/>
        </definitions>
        """
            .strip();

    assertThatThrownBy(() -> ResourceIds.of("x.bpmn", bytes(xml)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
