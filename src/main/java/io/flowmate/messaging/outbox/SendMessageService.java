package io.flowmate.messaging.outbox;

import io.flowmate.admin.TenantSettings;
import io.flowmate.admin.Tenants;
import io.flowmate.core.ChatId;
import io.flowmate.core.Ids;
import io.flowmate.core.SessionId;
import io.flowmate.core.TenantId;
import io.flowmate.core.api.ApiException;
import io.flowmate.core.api.IdempotentCreate;
import io.flowmate.gateway.SessionInfo;
import io.flowmate.gateway.Sessions;
import io.flowmate.messaging.MessageStatus;
import io.flowmate.messaging.MessagingSettings;
import io.flowmate.messaging.message.Message;
import io.flowmate.messaging.message.MessageType;
import io.flowmate.workflow.Approval;
import io.flowmate.workflow.Approvals;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Accepts an outgoing message of any type: checks it against the tenant's policy, writes it to the
 * outbox under its idempotency key, then either wakes the number's send lane or, when the tenant
 * requires approval, opens an approval and starts {@code messaging-approval} for it.
 */
@Service
class SendMessageService {

  static final int MAX_TEXT_LENGTH = 4096;

  private final OutboxRepository messages;
  private final MediaRepository media;
  private final Sessions sessions;
  private final Tenants tenants;
  private final SendPolicy policy;
  private final Approvals approvals;
  private final ApprovalProcessStarter approvalProcesses;
  private final OutboxDispatcher dispatcher;
  private final MessagingSettings settings;
  private final TransactionTemplate transaction;
  private final Clock clock;

  SendMessageService(
      OutboxRepository messages,
      MediaRepository media,
      Sessions sessions,
      Tenants tenants,
      SendPolicy policy,
      Approvals approvals,
      ApprovalProcessStarter approvalProcesses,
      OutboxDispatcher dispatcher,
      MessagingSettings settings,
      TransactionTemplate transaction,
      Clock clock) {
    this.messages = messages;
    this.media = media;
    this.sessions = sessions;
    this.tenants = tenants;
    this.policy = policy;
    this.approvals = approvals;
    this.approvalProcesses = approvalProcesses;
    this.dispatcher = dispatcher;
    this.settings = settings;
    this.transaction = transaction;
    this.clock = clock;
  }

  /** Media sent as base64 data rather than a URL. */
  record InlineMedia(byte[] bytes, String mimetype, String filename) {}

  /** A message to send, as the API received it. */
  record Draft(UUID sessionId, ChatId chat, Message.Content content, InlineMedia inlineMedia) {}

  /** The stored message, and whether this request replayed an earlier one with the same key. */
  record Accepted(Message message, boolean replayed) {}

  Accepted accept(TenantId tenant, Draft draft, String idempotencyKey) {
    byte[] requestHash = requestHash(draft);
    IdempotentCreate.Outcome<Message> outcome =
        IdempotentCreate.create(
            idempotencyKey,
            requestHash,
            "message",
            k ->
                messages
                    .findByIdempotencyKey(tenant, k)
                    .map(m -> new IdempotentCreate.Earlier<>(m, m.requestHash())),
            key -> store(tenant, draft, key, requestHash));
    return new Accepted(outcome.value(), outcome.replayed());
  }

  /** Checks the draft, stores it, then wakes its send lane or starts its approval. */
  private Message store(TenantId tenant, Draft draft, String key, byte[] requestHash) {
    SessionInfo session = sessions.get(tenant, SessionId.of(draft.sessionId()));
    TenantSettings tenantSettings = tenants.settings(tenant);
    boolean reaction = draft.content().is(MessageType.REACTION);
    byte[] bodyHash = reaction ? null : SendPolicy.bodyHash(draft.content().body());
    if (!reaction) {
      policy
          .check(tenant, tenantSettings, session.id().value(), draft.chat(), bodyHash)
          .ifPresent(refusal -> {
            throw new ApiException(
                refusal.isDuplicate() ? HttpStatus.CONFLICT : HttpStatus.FORBIDDEN,
                refusal.reason());
          });
    }
    boolean needsApproval = tenantSettings.requireApproval() && !reaction;
    Instant now = clock.instant();
    UUID id = Ids.newId();
    Message stored =
        transaction.execute(status -> {
          UUID mediaId =
              draft.inlineMedia() == null
                  ? null
                  : media.store(
                      tenant,
                      draft.inlineMedia().mimetype(),
                      draft.inlineMedia().filename(),
                      draft.inlineMedia().bytes(),
                      now);
          Message message =
              Message.fromApi(
                  id,
                  tenant,
                  session.id().value(),
                  draft.chat(),
                  new Message.Content(
                      draft.content().type(),
                      draft.content().body(),
                      draft.content().payload(),
                      mediaId,
                      draft.content().replyTo()),
                  needsApproval ? MessageStatus.PENDING : MessageStatus.QUEUED,
                  key == null ? id.toString() : key,
                  requestHash,
                  needsApproval ? approvalProcesses.epoch() : null,
                  now);
          if (needsApproval) {
            message = message.withApproval(requestApproval(message).id().value());
          }
          messages.insertOutbound(message, bodyHash);
          return message;
        });
    if (needsApproval) {
      approvalProcesses.startFor(stored);
    } else {
      dispatcher.wake(stored.sessionId());
    }
    return stored;
  }

  private Approval requestApproval(Message message) {
    Map<String, Object> summary = new LinkedHashMap<>();
    summary.put("session_id", message.sessionId().toString());
    summary.put("chat_id", message.chatId().value());
    summary.put("message_type", message.content().type().value());
    summary.put("message", message.content().body());
    return approvals.request(
        new Approvals.ApprovalRequest(
            message.tenantId(),
            MessageApprovalProcess.APPROVAL_KIND,
            message.id(),
            summary,
            settings.approvalTimeout()));
  }

  static String validText(String field, String text) {
    if (text == null || text.isBlank()) {
      throw ApiException.invalid(field + " must not be empty");
    }
    if (text.length() > MAX_TEXT_LENGTH) {
      throw ApiException.invalid(
          "%s is %d characters long; the limit is %d"
              .formatted(field, text.length(), MAX_TEXT_LENGTH));
    }
    return text;
  }

  /**
   * Identifies the request, so that a retry is told from a different message under the same key.
   */
  private static byte[] requestHash(Draft draft) {
    Map<String, Object> canonicalForm = new LinkedHashMap<>();
    canonicalForm.put("session", draft.sessionId().toString());
    canonicalForm.put("chat", draft.chat().value());
    canonicalForm.put("type", draft.content().type().value());
    canonicalForm.put("body", draft.content().body());
    canonicalForm.put("payload", draft.content().payload());
    canonicalForm.put("reply_to", draft.content().replyTo());
    if (draft.inlineMedia() != null) {
      canonicalForm.put(
          "media", HexFormat.of().formatHex(IdempotentCreate.sha256(draft.inlineMedia().bytes())));
    }
    return IdempotentCreate.requestHash(canonicalForm);
  }
}
