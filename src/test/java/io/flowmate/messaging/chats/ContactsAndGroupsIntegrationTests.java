package io.flowmate.messaging.chats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.flowmate.core.ChatId;
import io.flowmate.support.IntegrationTest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Identity: contacts keyed on their linked id with the phone number beside it, merged when both are
 * seen together; groups and their participants as transports report them.
 */
class ContactsAndGroupsIntegrationTests extends IntegrationTest {

  @Autowired ContactRepository contacts;
  @Autowired GroupRepository groups;

  @Test
  void aContactSeenUnderPhoneAndThenUnderLinkedIdIsOneContact() {
    TestTenant tenant = newTenant();
    String session = tenant.workingSession();
    UUID sessionId = UUID.fromString(session);
    tenant.contactWrites(session, "4915100000601", "First, from my phone number");
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> contacts.find(sessionId, null, "4915100000601").isPresent());

    String lid =
        tenant
            .api()
            .post(
                "/api/v2/simulator/sessions/" + session + "/contacts/4915100000601/migrate-to-lid")
            .text("lid");
    tenant.contactWrites(session, "4915100000601", "Then from my linked id");

    await()
        .atMost(Duration.ofSeconds(5))
        .until(() ->
            contacts
                .find(sessionId, lid, null)
                .map(c -> "4915100000601".equals(c.phone()))
                .orElse(false));
    ContactRepository.Contact contact =
        contacts.find(sessionId, lid, "4915100000601").orElseThrow();
    assertThat(contact.lid()).isEqualTo(lid);
    assertThat(contact.wroteFirst()).isTrue();
    assertThat(contacts.find(sessionId, null, "4915100000601")).contains(contact);
  }

  @Test
  void groupsAndTheirParticipantsAreKept() {
    TestTenant tenant = newTenant();
    String session = tenant.workingSession();
    UUID sessionId = UUID.fromString(session);
    String group =
        tenant
            .api()
            .post(
                "/api/v2/simulator/sessions/" + session + "/groups",
                Map.of("subject", "Lisbon flats", "participants", List.of("4915100000602")))
            .text("group_id");

    tenant
        .api()
        .post(
            "/api/v2/simulator/sessions/" + session + "/groups/join",
            Map.of("group_id", group, "phone", "4915100000603"));
    tenant
        .api()
        .post(
            "/api/v2/simulator/sessions/" + session + "/inbound",
            Map.of(
                "from", "4915100000603", "group_id", group, "message", "Looking for a 2-bedroom"));

    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> groups.members(sessionId, new ChatId(group)).size() == 1);
    assertThat(groups.list(sessionId))
        .singleElement()
        .satisfies(g -> assertThat(g.subject()).isEqualTo("Lisbon flats"));
    assertThat(groups.members(sessionId, new ChatId(group)).getFirst().phone())
        .isEqualTo("4915100000603");
    tenant.api().patch("/api/v2/tenant/settings", Map.of("chat_history_access_enabled", true));
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() ->
            tenant
                .api()
                .get("/api/v2/messages/chat/" + session + "/" + group)
                .json()
                .get("items")
                .findValuesAsText("sender_phone")
                .contains("4915100000603"));
  }
}
