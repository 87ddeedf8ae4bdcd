package io.flowmate.outreach.campaign;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyMap;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.flowmate.admin.Plan;
import io.flowmate.admin.PlanLimits;
import io.flowmate.admin.TenantSettings;
import io.flowmate.admin.Tenants;
import io.flowmate.admin.apikey.ApiKeyService;
import io.flowmate.admin.apikey.TestApiKeys;
import io.flowmate.core.SessionId;
import io.flowmate.core.TenantId;
import io.flowmate.core.api.ApiException;
import io.flowmate.core.net.OutboundUrlGuardConfiguration;
import io.flowmate.core.security.Caller;
import io.flowmate.gateway.Sessions;
import io.flowmate.messaging.Outbox;
import io.flowmate.outreach.OutreachSettings;
import io.flowmate.outreach.audience.Audience;
import io.flowmate.support.WebSliceTest;
import io.flowmate.workflow.Approvals;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.hamcrest.Matcher;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * {@link CampaignController} in a web slice with the real {@link CampaignService} in front of
 * mocked repositories, engine signals and other modules: the body's validation with its reasons,
 * the plan gate, unknown ids, refused moves and an unreachable engine as problem+json, and the
 * bulk-send scopes. Campaigns that really run are {@code CampaignIntegrationTests}'.
 */
@WebSliceTest(CampaignController.class)
@Import({
  CampaignService.class,
  OutboundUrlGuardConfiguration.class,
  CampaignControllerWebTests.NoTransactions.class
})
@EnableConfigurationProperties(OutreachSettings.class)
class CampaignControllerWebTests {

  private static final String MANAGER_KEY = "fm_manager_key_for_this_slice";
  private static final String READER_KEY = "fm_reader_key_for_this_slice";
  private static final TenantId TENANT = TenantId.of(UUID.randomUUID());
  private static final Caller MANAGER =
      new Caller(TENANT, UUID.randomUUID(), Set.of("bulk-send:manage"), false);
  private static final Caller READER =
      new Caller(TENANT, UUID.randomUUID(), Set.of("bulk-send:read"), false);
  private static final UUID SESSION = UUID.randomUUID();
  private static final UUID GROUP = UUID.randomUUID();

  /** Transactions the slice runs through without a database. */
  @TestConfiguration(proxyBeanMethods = false)
  static class NoTransactions {
    @Bean
    TransactionTemplate transactionTemplate() {
      return new TransactionTemplate(mock(PlatformTransactionManager.class));
    }
  }

  @Autowired MockMvc mvc;
  @Autowired ApiKeyService keys;
  @MockitoBean CampaignRepository campaigns;
  @MockitoBean CampaignProgress progress;
  @MockitoBean CampaignProcessStarter starter;
  @MockitoBean CampaignSignals signals;
  @MockitoBean Audience audience;
  @MockitoBean Sessions sessions;
  @MockitoBean Tenants tenants;
  @MockitoBean Approvals approvals;
  @MockitoBean Outbox outbox;

  @BeforeEach
  void setUp() {
    TestApiKeys.accept(keys, Map.of(MANAGER_KEY, MANAGER, READER_KEY, READER));
    when(tenants.limits(TENANT)).thenReturn(limits(true));
    when(progress.of(any(Campaign.class)))
        .thenReturn(
            Map.of(
                "total",
                0L,
                "sent",
                0L,
                "failed",
                0L,
                "pending",
                0L,
                "delivered",
                0L,
                "read",
                0L,
                "cancelled",
                0L));
  }

  private static PlanLimits limits(boolean bulkSend) {
    return new PlanLimits(
        Plan.FREE, "Free", 10, 60, null, 1, 1, 1, 1, bulkSend, false, false, false, false, false,
        false);
  }

  private ResultActions create(String body) throws Exception {
    return mvc.perform(
        post("/api/v2/bulk-send")
            .header("X-API-Key", MANAGER_KEY)
            .contentType(MediaType.APPLICATION_JSON)
            .content(body));
  }

  private static String job(String fields) {
    return """
    {"session_id":"%s","custom_group_id":"%s",%s}\
    """
        .formatted(SESSION, GROUP, fields);
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
        .andExpect(jsonPath("$.detail", detail));
  }

  @Test
  void invalidBodiesAreA422WithTheReason() throws Exception {
    isProblem(
        create(job("\"message_type\":\"audio\",\"message_content\":\"hi\"")),
        422,
        "message_type must be 'text' or 'media', not 'audio'");
    isProblem(
        create(job("\"message_content\":\"  \"")),
        422,
        "message_content is required for a text message");
    isProblem(
        create(job("\"message_content\":\"{Hi|}\"")),
        422,
        "message_content: spin text {Hi|} has an empty option");
    isProblem(
        create(job("\"message_content\":\"hi\",\"variants\":[\"ok\",\"\"]")),
        422,
        "variants[1] must be a text of 1 to 4096 characters");
    isProblem(
        create(job("\"message_content\":\"hi\",\"delay_min_seconds\":5")),
        422,
        "delay_min_seconds must be at least 30: shorter gaps get numbers banned");
    isProblem(
        create(job("\"message_content\":\"hi\",\"delay_min_seconds\":60,\"delay_max_seconds\":45")),
        422,
        "delay_max_seconds must be between delay_min_seconds (60) and 600");
    isProblem(
        create("{\"message_content\":\"hi\"}"), 422, "session_id and custom_group_id are required");
    isProblem(
        create(job("\"message_content\":\"hi\",\"delay_min_seconds\":\"soon\"")),
        422,
        "Field 'delay_min_seconds' has an invalid value 'soon': expected a number");
    verify(campaigns, never()).insert(any(), any(), any());
  }

  @Test
  void aMediaCampaignToAnInternalAddressIsRefused() throws Exception {
    isProblem(
        create(
            job("\"message_type\":\"media\",\"media_url\":\"http://127.0.0.1:8080/api/v2/x.jpg\"")),
        422,
        startsWith("media_url is refused: "));
    isProblem(
        create(job("\"message_content\":\"hi\",\"media_url\":\"https://cdn.example.com/a.jpg\"")),
        422,
        "media_url is only for message_type 'media'");
  }

  @Test
  void aPlanWithoutBulkSendIsA403() throws Exception {
    when(tenants.limits(TENANT)).thenReturn(limits(false));

    isProblem(
        create(job("\"message_content\":\"hi\"")),
        403,
        "Bulk send is not included in the Free plan; upgrade to Starter or higher");
    verify(campaigns, never()).insert(any(), any(), any());
  }

  @Test
  void anUnknownSessionOrGroupIsA404AndAnEmptyGroupA422() throws Exception {
    when(sessions.get(TENANT, SessionId.of(SESSION)))
        .thenThrow(ApiException.notFound("Session", SESSION));
    isProblem(
        create(job("\"message_content\":\"hi\"")),
        404,
        "Session '%s' not found".formatted(SESSION));

    org.mockito.Mockito.reset(sessions);
    when(audience.groupExists(TENANT, GROUP)).thenReturn(false);
    isProblem(
        create(job("\"message_content\":\"hi\"")),
        404,
        "Custom group '%s' not found".formatted(GROUP));

    when(audience.groupExists(TENANT, GROUP)).thenReturn(true);
    when(audience.count(eq(GROUP), anyMap())).thenReturn(0L);
    isProblem(
        create(job("\"message_content\":\"hi\",\"filter\":{\"unpaid\":\"yes\"}")),
        422,
        "custom group %s has no members that match the filter; add members before sending"
            .formatted(GROUP));
    verify(campaigns, never()).insert(any(), any(), any());
  }

  @Test
  void anUnknownJobIsA404AndAnIdThatIsNoUuidA422() throws Exception {
    UUID unknown = UUID.randomUUID();
    when(campaigns.find(TENANT, unknown)).thenReturn(Optional.empty());

    isProblem(
        mvc.perform(get("/api/v2/bulk-send/{id}", unknown).header("X-API-Key", READER_KEY)),
        404,
        "Bulk-send job '%s' not found".formatted(unknown));
    isProblem(
        mvc.perform(get("/api/v2/bulk-send/job-1").header("X-API-Key", READER_KEY)),
        422,
        "id 'job-1' is not valid: expected a UUID");
  }

  @Test
  void listingChecksStatusAndPaging() throws Exception {
    isProblem(
        mvc.perform(get("/api/v2/bulk-send?status=done").header("X-API-Key", READER_KEY)),
        422,
        startsWith("status must be one of pending, running, paused, completed, cancelled, failed"));
    isProblem(
        mvc.perform(get("/api/v2/bulk-send?limit=500").header("X-API-Key", READER_KEY)),
        422,
        "limit must be between 1 and 100, got 500");
  }

  @Test
  void pausingAFinishedJobIsA409() throws Exception {
    Campaign completed = TestCampaigns.campaign(TENANT).status(CampaignStatus.COMPLETED).build();
    when(campaigns.find(TENANT, completed.id())).thenReturn(Optional.of(completed));
    when(campaigns.move(eq(completed.id()), eq(CampaignStatus.Move.PAUSE), any(), any()))
        .thenReturn(false);

    isProblem(
        mvc.perform(
            post("/api/v2/bulk-send/{id}/pause", completed.id()).header("X-API-Key", MANAGER_KEY)),
        409,
        "Job %s is completed; only a running job can be paused".formatted(completed.id()));
    verify(signals, never()).paused(any());
  }

  @Test
  void aPauseTheEngineCannotHearIsUndoneAndA503() throws Exception {
    Campaign running = TestCampaigns.campaign(TENANT).status(CampaignStatus.RUNNING).build();
    when(campaigns.find(TENANT, running.id())).thenReturn(Optional.of(running));
    when(campaigns.move(eq(running.id()), eq(CampaignStatus.Move.PAUSE), any(), any()))
        .thenReturn(true);
    doThrow(new IllegalStateException("engine unavailable")).when(signals).paused(running);

    isProblem(
        mvc.perform(
            post("/api/v2/bulk-send/{id}/pause", running.id()).header("X-API-Key", MANAGER_KEY)),
        503,
        "The workflow engine cannot be reached right now; try again");
    verify(campaigns).move(eq(running.id()), eq(CampaignStatus.Move.RESUME), any(), any());
  }

  @Test
  void aReadKeyCannotCreateOrPause() throws Exception {
    UUID id = UUID.randomUUID();
    isProblem(
            mvc.perform(post("/api/v2/bulk-send/{id}/pause", id).header("X-API-Key", READER_KEY)),
            403,
            "This API key lacks the scope(s) bulk-send:manage needed for this operation")
        .andExpect(header().string("X-Required-Scopes", "bulk-send:manage"));
    verify(campaigns, never()).find(any(), any());
  }

  @Test
  void aValidJobIsStoredPendingAndItsProcessStarted() throws Exception {
    when(audience.groupExists(TENANT, GROUP)).thenReturn(true);
    when(audience.count(GROUP, Map.of())).thenReturn(12L);
    when(tenants.settings(TENANT)).thenReturn(mock(TenantSettings.class));
    AtomicReference<Campaign> stored = new AtomicReference<>();
    doAnswer(
            call -> {
              stored.set(call.getArgument(0));
              return null;
            })
        .when(campaigns)
        .insert(any(), any(), any());
    when(campaigns.find(eq(TENANT), any())).thenAnswer(call -> Optional.ofNullable(stored.get()));

    create(job("\"name\":\" Spring sale \",\"message_content\":\"Hi {name}\""))
        .andExpect(status().isCreated())
        .andExpect(jsonPath("$.status").value("pending"))
        .andExpect(jsonPath("$.name").value("Spring sale"))
        .andExpect(jsonPath("$.delay_min_seconds").value(30))
        .andExpect(jsonPath("$.delay_max_seconds").value(120));

    assertThat(stored.get().totalRecipients()).isEqualTo(12);
    assertThat(stored.get().approvalId()).isNull();
    verify(starter).startFor(stored.get());
  }
}
