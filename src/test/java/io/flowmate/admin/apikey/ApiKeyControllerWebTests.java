package io.flowmate.admin.apikey;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.flowmate.core.InvalidValueException;
import io.flowmate.core.TenantId;
import io.flowmate.core.api.ApiException;
import io.flowmate.core.security.Caller;
import io.flowmate.support.WebSliceTest;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.hamcrest.Matcher;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;

/**
 * {@link ApiKeyController} in a web slice: request validation, error mapping and the key and scope
 * checks in front of it, with the key service mocked. The key lifecycle itself (create, rotate,
 * revoke against PostgreSQL) is {@code ApiKeyAttackTests}' and {@code SecurityIntegrationTests}'.
 */
@WebSliceTest(ApiKeyController.class)
class ApiKeyControllerWebTests {

  private static final String ADMIN_KEY = "fm_admin_key_for_this_slice";
  private static final String READER_KEY = "fm_reader_key_for_this_slice";
  private static final TenantId TENANT = TenantId.of(UUID.randomUUID());
  private static final Caller ADMIN = new Caller(TENANT, UUID.randomUUID(), Set.of("*"), false);
  private static final Caller READER =
      new Caller(TENANT, UUID.randomUUID(), Set.of("messages:read"), false);

  @Autowired MockMvc mvc;
  @Autowired ApiKeyService keys;

  @BeforeEach
  void keys() {
    TestApiKeys.accept(keys, Map.of(ADMIN_KEY, ADMIN, READER_KEY, READER));
  }

  private ResultActions create(String key, String body) throws Exception {
    return mvc.perform(
        post("/api/v2/api-keys")
            .header("X-API-Key", key)
            .contentType(MediaType.APPLICATION_JSON)
            .content(body));
  }

  private static ResultActions isProblem(ResultActions result, int status, String detail)
      throws Exception {
    return isProblem(result, status, equalTo(detail));
  }

  private static ResultActions isProblem(
      ResultActions result, int status, Matcher<? super String> detail) throws Exception {
    return result
        .andExpect(status().is(status))
        .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
        .andExpect(jsonPath("$.status").value(status))
        .andExpect(jsonPath("$.detail", detail));
  }

  @Test
  void aMissingNameIsA422NamingTheField() throws Exception {
    isProblem(create(ADMIN_KEY, "{\"scopes\":[\"messages:read\"]}"), 422, "name must not be blank");
    verify(keys, never()).create(any(), any(), any(), any(), any());
  }

  @Test
  void anExpiryOutOfRangeIsA422() throws Exception {
    isProblem(
        create(ADMIN_KEY, "{\"name\":\"ci\",\"expires_in_days\":0}"),
        422,
        "expires_in_days must be greater than or equal to 1");
    isProblem(
        create(ADMIN_KEY, "{\"name\":\"ci\",\"expires_in_days\":\"soon\"}"),
        422,
        "Field 'expires_in_days' has an invalid value 'soon': expected a number");
  }

  @Test
  void aBodyThatIsNoJsonIsA400() throws Exception {
    isProblem(create(ADMIN_KEY, "{\"name\":"), 400, startsWith("Malformed JSON at line 1"));
  }

  @Test
  void anUnknownScopeIsA422WithTheServicesReason() throws Exception {
    when(keys.create(any(), anyString(), any(), any(), any()))
        .thenThrow(new InvalidValueException("Unknown scope 'mesages:read'"));

    isProblem(
        create(ADMIN_KEY, "{\"name\":\"ci\",\"scopes\":[\"mesages:read\"]}"),
        422,
        "Unknown scope 'mesages:read'");
  }

  @Test
  void anUnknownKeyIdIsA404AndAnIdThatIsNoUuidA422() throws Exception {
    UUID unknown = UUID.randomUUID();
    when(keys.get(ADMIN, unknown)).thenThrow(ApiException.notFound("API key", unknown));

    isProblem(
        mvc.perform(get("/api/v2/api-keys/{id}", unknown).header("X-API-Key", ADMIN_KEY)),
        404,
        "API key '%s' not found".formatted(unknown));
    isProblem(
        mvc.perform(get("/api/v2/api-keys/key-1").header("X-API-Key", ADMIN_KEY)),
        422,
        "id 'key-1' is not valid: expected a UUID");
  }

  @Test
  void revokingAStrongerKeyIsA403FromTheService() throws Exception {
    UUID stronger = UUID.randomUUID();
    doThrow(ApiException.forbidden("This key cannot revoke a key with scopes it lacks"))
        .when(keys)
        .revoke(ADMIN, stronger);

    isProblem(
        mvc.perform(delete("/api/v2/api-keys/{id}", stronger).header("X-API-Key", ADMIN_KEY)),
        403,
        "This key cannot revoke a key with scopes it lacks");
  }

  @Test
  void noKeyOrAnUnknownKeyIsA401BeforeTheController() throws Exception {
    isProblem(
            mvc.perform(get("/api/v2/api-keys")),
            401,
            "An API key is required: send it in the X-API-Key header")
        .andExpect(header().string("WWW-Authenticate", "ApiKey header=\"X-API-Key\""));
    isProblem(
        mvc.perform(get("/api/v2/api-keys").header("X-API-Key", "fm_revoked")),
        401,
        "The API key is invalid, revoked or expired");
    verify(keys, never()).list(any());
  }

  @Test
  void aKeyWithoutAccountManageIsA403NamingTheScope() throws Exception {
    isProblem(
            create(READER_KEY, "{\"name\":\"ci\"}"),
            403,
            "This API key lacks the scope(s) account:manage needed for this operation")
        .andExpect(header().string("X-Required-Scopes", "account:manage"));
    verify(keys, never()).create(any(), any(), any(), any(), any());
  }

  @Test
  void anyValidKeyReadsTheScopeCatalog() throws Exception {
    mvc.perform(get("/api/v2/api-keys/scopes").header("X-API-Key", READER_KEY))
        .andExpect(status().isOk())
        .andExpect(jsonPath("$.families.messages[1]").value("send"))
        .andExpect(jsonPath("$.presets.read_only").isArray());
  }

  @Test
  void aCreatedKeyIsShownOnceWithItsSecret() throws Exception {
    Instant now = Instant.now();
    ApiKey key =
        new ApiKey(
            UUID.randomUUID(),
            TENANT,
            "ci",
            "fm_ab12",
            Set.of("messages:send", "messages:read"),
            null,
            null,
            null,
            now,
            null);
    when(keys.create(ADMIN, "ci", java.util.List.of("messages:send", "messages:read"), null, null))
        .thenReturn(new ApiKeyService.IssuedKey(key, new RawApiKey("fm_ab12_secret")));

    create(ADMIN_KEY, "{\"name\":\"ci\",\"scopes\":[\"messages:send\",\"messages:read\"]}")
        .andExpect(status().isCreated())
        .andExpect(jsonPath("$.raw_key").value("fm_ab12_secret"))
        .andExpect(jsonPath("$.scopes[0]").value("messages:read"))
        .andExpect(jsonPath("$.is_active").value(true));
  }
}
