package io.flowmate.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.flowmate.support.Api;
import io.flowmate.support.IntegrationTest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The guards of the send governor, through the API: reciprocity (on by default), opt-out keywords
 * honoured for good, the whitelist as the way past reciprocity, and no same text twice.
 */
class SendPolicyIntegrationTests extends IntegrationTest {

  @Test
  void reciprocityIsOnByDefaultAndOpensWhenTheContactWritesFirst() {
    TestTenant tenant = newTenant();
    String session = tenant.workingSession();

    Api.Response cold = send(tenant, session, "4915100000101", "Hello stranger");
    tenant.contactWrites(session, "4915100000101", "Hi, is the flat still available?");
    awaitSendable(tenant, session, "4915100000101", "Yes it is!");

    assertThat(cold.status()).isEqualTo(403);
    assertThat(cold.text("detail"))
        .contains("has not written to this number first", "reciprocity_check");
  }

  @Test
  void allowListedNumbersMayBeMessagedFirst() {
    TestTenant tenant = newTenant();
    String session = tenant.workingSession();
    tenant
        .api()
        .patch("/api/v2/tenant/settings", Map.of("allowed_numbers", List.of("4915100000102")));

    assertThat(send(tenant, session, "4915100000102", "Your appointment is tomorrow").status())
        .isEqualTo(201);
  }

  @Test
  void aStopKeywordOptsTheContactOutForGoodUntilLifted() {
    TestTenant tenant = newTenant();
    String session = tenant.workingSession();
    tenant.contactWrites(session, "4915100000103", "Hi");
    awaitSendable(tenant, session, "4915100000103", "Welcome!");

    tenant.contactWrites(session, "4915100000103", "  Sair! ");
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> tenant.api().get("/api/v2/opt-outs").json().get("total").asInt() == 1);

    Api.Response blocked = send(tenant, session, "4915100000103", "Are you sure?");
    assertThat(blocked.status()).isEqualTo(403);
    assertThat(blocked.text("detail")).contains("opted out");
    Api.Response list = tenant.api().get("/api/v2/opt-outs");
    assertThat(list.json().get("items").get(0).get("address").asText()).isEqualTo("4915100000103");
    assertThat(list.json().get("items").get(0).get("keyword").asText()).isEqualTo("SAIR");

    assertThat(tenant.api().delete("/api/v2/opt-outs/4915100000103").status()).isEqualTo(204);
    assertThat(send(tenant, session, "4915100000103", "Welcome back").status()).isEqualTo(201);
    assertThat(tenant.api().delete("/api/v2/opt-outs/4915100000103").status()).isEqualTo(404);
  }

  @Test
  void optOutHoldsForEveryNumberOfTheTenant() {
    TestTenant tenant = newTenant().allowingColdMessages();
    String first = tenant.workingSession();
    String second = tenant.workingSession();
    tenant.contactWrites(first, "4915100000104", "STOP");
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> tenant.api().get("/api/v2/opt-outs").json().get("total").asInt() == 1);

    assertThat(send(tenant, second, "4915100000104", "Offer").status()).isEqualTo(403);
  }

  @Test
  void theSameTextToTheSamePersonWithin24HoursIsRefused() {
    TestTenant tenant = newTenant().allowingColdMessages();
    String session = tenant.workingSession();

    Api.Response first = send(tenant, session, "4915100000105", "Reminder: invoice 17 is due");
    Api.Response again = send(tenant, session, "4915100000105", "reminder: invoice 17 is due ");
    Api.Response otherPerson =
        send(tenant, session, "4915100000106", "Reminder: invoice 17 is due");

    assertThat(first.status()).isEqualTo(201);
    assertThat(again.status()).isEqualTo(409);
    assertThat(again.text("detail")).contains("same text");
    assertThat(otherPerson.status()).isEqualTo(201);
  }

  @Test
  void aContactWhoWroteFromTheirLinkedIdCountsUnderTheirPhoneNumberToo() {
    TestTenant tenant = newTenant();
    String session = tenant.workingSession();
    String lid =
        tenant
            .api()
            .post(
                "/api/v2/simulator/sessions/" + session + "/contacts/4915100000107/migrate-to-lid")
            .text("lid");

    tenant.contactWrites(session, "4915100000107", "Hello from my LID");

    awaitSendable(tenant, session, "4915100000107", "We know you under both ids");
    assertThat(send(tenant, session, lid, "And under the LID").status()).isEqualTo(201);
  }

  private static Api.Response send(TestTenant tenant, String session, String chat, String text) {
    return tenant
        .api()
        .post(
            "/api/v2/messages/send",
            Map.of("session_id", session, "chat_id", chat, "message", text));
  }

  /** Inbound events are stored asynchronously: retry the send until the guard sees the contact. */
  private static void awaitSendable(TestTenant tenant, String session, String chat, String text) {
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> send(tenant, session, chat, text).status() == 201);
  }
}
