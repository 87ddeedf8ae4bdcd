package io.flowmate.messaging.inbound;

import static io.flowmate.core.db.Sql.timestamp;
import static io.flowmate.core.db.Sql.timestampText;

import io.flowmate.messaging.message.Message;
import io.flowmate.messaging.message.MessageRows;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Messages observed in chats, stored once per WhatsApp id, and what happens to them later: edits,
 * deletes, reactions, votes.
 */
@Repository
public class InboundRepository {

  private final JdbcClient jdbc;

  InboundRepository(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /**
   * Stores messages that appeared in chats, each once however often the transport reports it
   * (incoming ones, and ours typed on the phone), in one round trip for all of them.
   *
   * @return those not stored before, in the order given
   */
  List<Message> insertObserved(List<Message> observed) {
    if (observed.isEmpty()) {
      return List.of();
    }
    Set<UUID> inserted =
        new HashSet<>(
            jdbc.sql(
                    """
                    INSERT INTO messaging_message (id, tenant_id, session_id, chat_id, direction, source,
                      message_type, body, payload, reply_to, sender_phone, sender_lid, sender_name,
                      status, wa_message_id, sent_at, created_at, updated_at)
                    SELECT id, tenant, session, chat, direction, source, type, body, payload, reply_to,
                      sender_phone, sender_lid, sender_name, status, wa_id, sent_at, at, at
                    FROM unnest(CAST(:ids AS uuid[]), CAST(:tenants AS uuid[]), CAST(:sessions AS uuid[]),
                      CAST(:chats AS text[]), CAST(:directions AS text[]), CAST(:sources AS text[]),
                      CAST(:types AS text[]), CAST(:bodies AS text[]), CAST(:payloads AS jsonb[]),
                      CAST(:replyTos AS text[]), CAST(:senderPhones AS text[]), CAST(:senderLids AS text[]),
                      CAST(:senderNames AS text[]), CAST(:statuses AS text[]), CAST(:waIds AS text[]),
                      CAST(:sentAts AS timestamptz[]), CAST(:ats AS timestamptz[]))
                      AS m(id, tenant, session, chat, direction, source, type, body, payload, reply_to,
                        sender_phone, sender_lid, sender_name, status, wa_id, sent_at, at)
                    ON CONFLICT (session_id, wa_message_id) WHERE wa_message_id IS NOT NULL DO NOTHING
                    RETURNING id
                    """)
                .param("ids", MessageRows.column(observed, Message::id, UUID[]::new))
                .param(
                    "tenants", MessageRows.column(observed, m -> m.tenantId().value(), UUID[]::new))
                .param("sessions", MessageRows.column(observed, Message::sessionId, UUID[]::new))
                .param(
                    "chats", MessageRows.column(observed, m -> m.chatId().value(), String[]::new))
                .param(
                    "directions",
                    MessageRows.column(observed, m -> m.direction().value(), String[]::new))
                .param("sources", MessageRows.column(observed, Message::source, String[]::new))
                .param(
                    "types",
                    MessageRows.column(observed, m -> m.content().type().value(), String[]::new))
                .param(
                    "bodies", MessageRows.column(observed, m -> m.content().body(), String[]::new))
                .param(
                    "payloads",
                    MessageRows.column(
                        observed, m -> MessageRows.json(m.content().payload()), String[]::new))
                .param(
                    "replyTos",
                    MessageRows.column(observed, m -> m.content().replyTo(), String[]::new))
                .param(
                    "senderPhones",
                    MessageRows.column(observed, m -> m.sender().phone(), String[]::new))
                .param(
                    "senderLids",
                    MessageRows.column(observed, m -> m.sender().lid(), String[]::new))
                .param(
                    "senderNames",
                    MessageRows.column(observed, m -> m.sender().name(), String[]::new))
                .param(
                    "statuses",
                    MessageRows.column(observed, m -> m.status().value(), String[]::new))
                .param("waIds", MessageRows.column(observed, Message::waMessageId, String[]::new))
                .param(
                    "sentAts",
                    MessageRows.column(
                        observed, m -> timestampText(m.times().sentAt()), String[]::new))
                .param(
                    "ats",
                    MessageRows.column(
                        observed, m -> timestampText(m.times().createdAt()), String[]::new))
                .query(UUID.class)
                .list());
    return observed.stream().filter(m -> inserted.contains(m.id())).toList();
  }

  /**
   * The stored messages that hold the WhatsApp ids of these messages on their numbers, keyed by
   * {@link #providerKey}.
   */
  Map<String, Message> holdersOfProviderIds(List<Message> messages) {
    if (messages.isEmpty()) {
      return Map.of();
    }
    Map<String, Message> holders = new HashMap<>();
    jdbc.sql(
            """
            SELECT m.* FROM messaging_message m
            JOIN unnest(CAST(:sessions AS uuid[]), CAST(:waIds AS text[])) AS k(session, wa_id)
              ON m.session_id = k.session AND m.wa_message_id = k.wa_id
            """)
        .param("sessions", MessageRows.column(messages, Message::sessionId, UUID[]::new))
        .param("waIds", MessageRows.column(messages, Message::waMessageId, String[]::new))
        .query(MessageRows::message)
        .list()
        .forEach(holder -> holders.put(providerKey(holder), holder));
    return holders;
  }

  /** A message's WhatsApp id on its number. */
  static String providerKey(Message message) {
    return message.sessionId() + "/" + message.waMessageId();
  }

  public void markEdited(UUID id, String text, Instant at) {
    jdbc.sql(
            "UPDATE messaging_message SET body = :text, edited_at = :at, updated_at = :at WHERE id = :id")
        .param("id", id)
        .param("text", text)
        .param("at", timestamp(at))
        .update();
  }

  public void markEdited(UUID sessionId, String waMessageId, String text, Instant at) {
    jdbc.sql(
            "UPDATE messaging_message SET body = :text, edited_at = :at, updated_at = :at"
                + " WHERE session_id = :session AND wa_message_id = :waId")
        .param("session", sessionId)
        .param("waId", waMessageId)
        .param("text", text)
        .param("at", timestamp(at))
        .update();
  }

  public void markRevoked(UUID sessionId, String waMessageId, Instant at) {
    jdbc.sql(
            "UPDATE messaging_message SET revoked_at = COALESCE(revoked_at, :at), updated_at = :at"
                + " WHERE session_id = :session AND wa_message_id = :waId")
        .param("session", sessionId)
        .param("waId", waMessageId)
        .param("at", timestamp(at))
        .update();
  }

  /** Records a reaction (by whoever) on the message it targets; an empty emoji removes it. */
  void react(UUID sessionId, String targetWaMessageId, String reactor, String emoji, Instant at) {
    jdbc.sql(
            """
            UPDATE messaging_message SET updated_at = :at, payload =
              CASE WHEN :emoji = '' THEN
                jsonb_set(COALESCE(payload, '{}'::jsonb), '{reactions}',
                  COALESCE(payload->'reactions', '{}'::jsonb) - :reactor)
              ELSE
                jsonb_set(COALESCE(payload, '{}'::jsonb), '{reactions}',
                  COALESCE(payload->'reactions', '{}'::jsonb) || jsonb_build_object(:reactor, :emoji))
              END
            WHERE session_id = :session AND wa_message_id = :target
            """)
        .param("session", sessionId)
        .param("target", targetWaMessageId)
        .param("reactor", reactor)
        .param("emoji", emoji)
        .param("at", timestamp(at))
        .update();
  }

  /** Records a poll vote on the poll message. */
  void vote(
      UUID sessionId, String pollWaMessageId, String voter, List<String> options, Instant at) {
    jdbc.sql(
            """
            UPDATE messaging_message SET updated_at = :at, payload =
              jsonb_set(COALESCE(payload, '{}'::jsonb), '{votes}',
                COALESCE(payload->'votes', '{}'::jsonb) || jsonb_build_object(:voter, CAST(:options AS jsonb)))
            WHERE session_id = :session AND wa_message_id = :poll
            """)
        .param("session", sessionId)
        .param("poll", pollWaMessageId)
        .param("voter", voter)
        .param("options", MessageRows.json(options))
        .param("at", timestamp(at))
        .update();
  }
}
