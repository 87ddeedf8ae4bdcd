package io.flowmate.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.flowmate.support.Api;
import io.flowmate.support.IntegrationTest;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Bad input always gets a 4xx RFC 9457 problem whose detail says what is wrong; never a 500. */
class ApiErrorIntegrationTests extends IntegrationTest {

  @Test
  void malformedJsonIs400() {
    Api.Response response =
        newTenant().api().raw("POST", "/api/v2/sessions", "{\"name\": ", "application/json");

    assertProblem(response, 400, "Malformed JSON");
  }

  @Test
  void missingBodyIs400() {
    Api.Response response = newTenant().api().post("/api/v2/sessions");

    assertProblem(response, 400, "body is missing");
  }

  @Test
  void wrongTypeIs422NamingTheField() {
    Api.Response response =
        newTenant()
            .api()
            .patch("/api/v2/tenant/settings", Map.of("require_approval", Map.of("x", 1)));

    assertProblem(response, 422, "require_approval");
  }

  @Test
  void unknownEnumValueIs422ListingTheValidOnes() {
    Api.Response response =
        operator().post("/api/v2/admin/tenants", Map.of("name", "x", "plan", "platinum"));

    assertProblem(response, 422, "plan");
    assertThat(response.text("detail")).contains("free", "starter", "pro", "business");
  }

  @Test
  void failedValidationIs422NamingFieldAndRule() {
    Api.Response response = newTenant().api().post("/api/v2/sessions", Map.of("name", " "));

    assertProblem(response, 422, "name");
  }

  @Test
  void malformedIdInThePathIs422() {
    Api.Response response = newTenant().api().get("/api/v2/sessions/not-a-uuid");

    assertProblem(response, 422, "not-a-uuid");
    assertThat(response.text("detail")).contains("UUID");
  }

  @Test
  void unknownIdIs404() {
    Api.Response response =
        newTenant().api().get("/api/v2/sessions/01a20fcc-8004-77b1-be34-6c11398d7717");

    assertProblem(response, 404, "not found");
  }

  @Test
  void unknownPathIs404Problem() {
    Api.Response response = newTenant().api().get("/api/v2/no-such-thing");

    assertThat(response.status()).isEqualTo(404);
    assertThat(response.header("Content-Type")).startsWith("application/problem+json");
  }

  @Test
  void oversizedBodyIs413() {
    String huge = "{\"name\":\"" + "x".repeat(2 * 1024 * 1024) + "\"}";

    Api.Response response =
        newTenant().api().raw("POST", "/api/v2/sessions", huge, "application/json");

    assertProblem(response, 413, "larger than the limit");
  }

  @Test
  void wrongMethodIs405AndWrongMediaTypeIs415() {
    Api api = newTenant().api();

    assertThat(api.delete("/api/v2/tenant/settings").status()).isEqualTo(405);
    assertThat(api.raw("POST", "/api/v2/sessions", "name=x", "text/plain").status()).isEqualTo(415);
  }

  @Test
  void pagingOutOfRangeIs422() {
    Api api = newTenant().api();

    assertProblem(api.get("/api/v2/approvals?limit=0"), 422, "limit");
    assertProblem(api.get("/api/v2/approvals?limit=abc"), 422, "limit");
    assertProblem(api.get("/api/v2/approvals?offset=-1"), 422, "offset");
  }

  @Test
  void unknownQueryEnumIs422() {
    assertProblem(newTenant().api().get("/api/v2/approvals?status=maybe"), 422, "status");
  }

  private static void assertProblem(Api.Response response, int status, String detailPart) {
    assertThat(response.status()).as(response.toString()).isEqualTo(status);
    assertThat(response.header("Content-Type")).startsWith("application/problem+json");
    assertThat(response.json().get("status").asInt()).isEqualTo(status);
    assertThat(response.text("detail")).as(response.toString()).containsIgnoringCase(detailPart);
    assertThat(response.body()).doesNotContain("Exception", "\tat ");
  }
}
