package io.flowmate.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.flowmate.core.security.RequiresScope;
import io.flowmate.support.Api;
import io.flowmate.support.IntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/** The conventional endpoints, the OpenAPI document, and that no API operation is unprotected. */
class ApiSurfaceIntegrationTests extends IntegrationTest {

  @Autowired
  @Qualifier("requestMappingHandlerMapping")
  RequestMappingHandlerMapping mappings;

  @Test
  void everyApiOperationDeclaresTheScopesItNeeds() {
    var apiHandlers =
        mappings.getHandlerMethods().entrySet().stream()
            .filter(
                e -> e.getKey().getPatternValues().stream().anyMatch(p -> p.startsWith("/api/")))
            .toList();

    assertThat(apiHandlers).hasSizeGreaterThan(20);
    apiHandlers.forEach(e ->
        assertThat(e.getValue().hasMethodAnnotation(RequiresScope.class))
            .as("%s declares @RequiresScope", e.getValue())
            .isTrue());
  }

  @Test
  void healthNeedsNoKey() {
    Api.Response health = anonymous().get("/actuator/health");

    assertThat(health.status()).isEqualTo(200);
    assertThat(health.text("status")).isEqualTo("UP");
  }

  @Test
  void openApiDocumentDescribesTheApiAndItsKeyHeader() {
    Api.Response docs = anonymous().get("/v3/api-docs");

    assertThat(docs.status()).isEqualTo(200);
    assertThat(docs.json().get("paths").has("/api/v2/messages/send")).isTrue();
    assertThat(docs.json().get("paths").has("/api/v2/approvals/{id}/approve")).isTrue();
    assertThat(docs.json().get("paths").has("/api/v2/sessions/{id}/start")).isTrue();
    assertThat(docs.json().get("paths").has("/api/v2/processes/{bpmnProcessId}/instances"))
        .isTrue();
    assertThat(docs.json().at("/components/securitySchemes/ApiKey/name").asText())
        .isEqualTo("X-API-Key");
    assertThat(docs.body()).doesNotContain("\"caller\"");
    assertThat(anonymous().get("/swagger-ui/index.html").status()).isEqualTo(200);
  }
}
