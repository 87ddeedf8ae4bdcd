package io.flowmate.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.flowmate.gateway.GatewaySettings;
import io.flowmate.support.IntegrationTest;
import io.flowmate.support.TestDatabase;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.test.autoconfigure.web.servlet.AutoConfigureMockMvc;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.http.MediaType;
import org.springframework.modulith.test.ApplicationModuleTest;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.servlet.MockMvc;

/**
 * The admin module started alone (Spring Modulith's {@code STANDALONE} mode: its beans and the
 * shared {@code core}, no other module): tenants, plans, API keys and the key filter on PostgreSQL,
 * with no engine and no WhatsApp transport. It proves the module needs nothing but {@code core} at
 * runtime too, not just at compile time as {@code ModularityTests} checks.
 *
 * <p>The engine's client is switched off ({@code camunda.client.enabled=false}): nothing in this
 * module talks to the engine, and without the workflow module no engine is started that the
 * client's deployment of the models could reach. The application's root package (the startup
 * banner) is always part of a module test; it reads the gateway's settings, which are bound here.
 */
@ApplicationModuleTest
@AutoConfigureMockMvc
@ActiveProfiles("test")
@TestPropertySource(properties = "camunda.client.enabled=false")
class AdminModuleTests {

  /** What the application's root package needs from outside this module. */
  @TestConfiguration(proxyBeanMethods = false)
  static class RootPackageNeeds {
    @Bean
    GatewaySettings gatewaySettings(Environment environment) {
      return Binder.get(environment)
          .bindOrCreate("flowmate.gateway", Bindable.of(GatewaySettings.class));
    }
  }

  @Autowired MockMvc mvc;
  @Autowired ObjectMapper json;

  @DynamicPropertySource
  static void database(DynamicPropertyRegistry registry) {
    TestDatabase.newDatabase()
        .asProperties()
        .forEach((name, value) -> registry.add(name, () -> value));
  }

  private JsonNode createTenant(String plan) throws Exception {
    String body =
        mvc.perform(
                post("/api/v2/admin/tenants")
                    .header("X-API-Key", IntegrationTest.OPERATOR_KEY)
                    .contentType(MediaType.APPLICATION_JSON)
                    .content(
                        "{\"name\":\"t-%s\",\"plan\":\"%s\"}"
                            .formatted(UUID.randomUUID().toString().substring(0, 8), plan)))
            .andExpect(status().isCreated())
            .andReturn()
            .getResponse()
            .getContentAsString();
    return json.readTree(body);
  }

  @Test
  void theOperatorCreatesATenantWhoseAdminKeyWorksAtOnce() throws Exception {
    JsonNode created = createTenant("pro");
    String adminKey = created.get("admin_api_key").asText();

    mvc.perform(get("/api/v2/api-keys").header("X-API-Key", adminKey))
        .andExpect(status().isOk())
        .andExpect(jsonPath("$[0].scopes[0]").value("*"))
        .andExpect(header().exists("X-RateLimit-Limit"));
  }

  @Test
  void aNarrowKeyOfTheTenantCannotManageKeysNorTenants() throws Exception {
    String adminKey = createTenant("starter").get("admin_api_key").asText();
    String body =
        mvc.perform(
                post("/api/v2/api-keys")
                    .header("X-API-Key", adminKey)
                    .contentType(MediaType.APPLICATION_JSON)
                    .content("{\"name\":\"reader\",\"scopes\":[\"messages:read\"]}"))
            .andExpect(status().isCreated())
            .andReturn()
            .getResponse()
            .getContentAsString();
    String readerKey = json.readTree(body).get("raw_key").asText();
    assertThat(readerKey).startsWith("fm_");

    mvc.perform(get("/api/v2/api-keys").header("X-API-Key", readerKey))
        .andExpect(status().isForbidden())
        .andExpect(header().string("X-Required-Scopes", "account:manage"));
    mvc.perform(
            post("/api/v2/admin/tenants")
                .header("X-API-Key", adminKey)
                .contentType(MediaType.APPLICATION_JSON)
                .content("{\"name\":\"sneaky\",\"plan\":\"business\"}"))
        .andExpect(status().isForbidden());
  }

  @Test
  void anUnknownKeyIsRefusedBeforeAnyController() throws Exception {
    mvc.perform(get("/api/v2/api-keys").header("X-API-Key", "fm_" + "x".repeat(40)))
        .andExpect(status().isUnauthorized())
        .andExpect(jsonPath("$.detail").value("The API key is invalid, revoked or expired"));
  }
}
