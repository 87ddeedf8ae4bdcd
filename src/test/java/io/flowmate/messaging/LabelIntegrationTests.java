package io.flowmate.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.flowmate.support.Api;
import io.flowmate.support.IntegrationTest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Labels through the API, and their two-way sync with WhatsApp Business labels. */
class LabelIntegrationTests extends IntegrationTest {

  @Test
  void labelsAreCreatedListedChangedAndDeleted() {
    Api api = newTenant().api();

    Api.Response created =
        api.post(
            "/api/v2/labels",
            Map.of("name", "VIP", "color", "#ffd429", "description", "Best clients"));
    Api.Response duplicate = api.post("/api/v2/labels", Map.of("name", "vip"));
    Api.Response badColor = api.post("/api/v2/labels", Map.of("name", "Bad", "color", "yellow"));
    String id = created.text("id");
    Api.Response renamed = api.patch("/api/v2/labels/" + id, Map.of("name", "Gold"));

    assertThat(created.status()).isEqualTo(201);
    assertThat(created.json().get("synced").asBoolean()).isFalse();
    assertThat(created.json().get("chat_count").asInt()).isZero();
    assertThat(duplicate.status()).isEqualTo(409);
    assertThat(badColor.status()).isEqualTo(422);
    assertThat(renamed.text("name")).isEqualTo("Gold");
    assertThat(api.get("/api/v2/labels").json().findValuesAsText("name")).containsExactly("Gold");
    assertThat(api.delete("/api/v2/labels/" + id).status()).isEqualTo(204);
    assertThat(api.get("/api/v2/labels/" + id).status()).isEqualTo(404);
  }

  @Test
  void labelsSyncBothWaysWithWhatsAppBusiness() {
    TestTenant tenant = newTenant();
    String session = tenant.workingSession();
    Api api = tenant.api();
    String chat = "4915100000501@c.us";

    // Flowmate → WhatsApp: push a label, put it on a chat.
    String hot = api.post("/api/v2/labels", Map.of("name", "Hot lead")).text("id");
    Api.Response synced = api.post("/api/v2/labels/" + hot + "/sync?session_id=" + session);
    Api.Response onChat =
        api.put(
            "/api/v2/labels/chat/" + chat + "?session_id=" + session,
            Map.of("label_ids", List.of(hot)));

    assertThat(synced.json().get("synced").asBoolean()).isTrue();
    assertThat(onChat.json().findValuesAsText("name")).containsExactly("Hot lead");
    assertThat(
            api.get("/api/v2/simulator/sessions/" + session + "/chat-labels")
                .json()
                .get(chat)
                .size())
        .isEqualTo(1);
    assertThat(api.get("/api/v2/labels/" + hot + "/chats").json().findValuesAsText("chat_id"))
        .containsExactly(chat);

    // WhatsApp → Flowmate: a label made on the phone and put on a chat there.
    String waLabel =
        api.post(
                "/api/v2/simulator/sessions/" + session + "/labels",
                Map.of("name", "Paid", "color", "#55ccb3"))
            .text("id");
    api.post(
        "/api/v2/simulator/sessions/" + session + "/chat-labels",
        Map.of("chat_id", "4915100000502", "label_id", waLabel));

    await()
        .atMost(Duration.ofSeconds(5))
        .until(() ->
            api.get("/api/v2/labels/chat/4915100000502@c.us?session_id=" + session)
                .json()
                .findValuesAsText("name")
                .contains("Paid"));
    assertThat(api.get("/api/v2/labels").json().findValuesAsText("name"))
        .contains("Hot lead", "Paid");
  }

  @Test
  void importFromWhatsAppAdoptsExistingLabelsByName() {
    TestTenant tenant = newTenant();
    String session = tenant.workingSession();
    Api api = tenant.api();
    api.post("/api/v2/labels", Map.of("name", "New customer"));
    api.post("/api/v2/simulator/sessions/" + session + "/labels", Map.of("name", "New customer"));
    api.post("/api/v2/simulator/sessions/" + session + "/labels", Map.of("name", "Follow up"));

    Api.Response imported = api.post("/api/v2/labels/sync-from-whatsapp?session_id=" + session);

    assertThat(imported.json().findValuesAsText("name"))
        .containsExactlyInAnyOrder("New customer", "Follow up");
    assertThat(api.get("/api/v2/labels").json().size()).isEqualTo(2);
    assertThat(
            api.get("/api/v2/labels/business-check?session_id=" + session)
                .json()
                .get("labels_supported")
                .asBoolean())
        .isTrue();
  }
}
