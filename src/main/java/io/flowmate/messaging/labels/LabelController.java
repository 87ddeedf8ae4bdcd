package io.flowmate.messaging.labels;

import io.flowmate.core.ChatId;
import io.flowmate.core.SessionId;
import io.flowmate.core.security.Caller;
import io.flowmate.core.security.RequiresScope;
import io.flowmate.core.security.Scopes;
import io.flowmate.gateway.SessionInfo;
import io.flowmate.gateway.Sessions;
import io.flowmate.gateway.spi.WhatsAppTransport;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** MoltFlow-compatible labels, synced both ways with WhatsApp Business labels. */
@RestController
@RequestMapping("/api/v2/labels")
@Tag(name = "Labels", description = "Colour-coded chat labels, synced with WhatsApp Business")
class LabelController {

  private final LabelService labels;
  private final Sessions sessions;
  private final WhatsAppTransport transport;

  LabelController(LabelService labels, Sessions sessions, WhatsAppTransport transport) {
    this.labels = labels;
    this.sessions = sessions;
    this.transport = transport;
  }

  record LabelRequest(
      @NotBlank @Size(max = 100) String name,
      @Pattern(regexp = "#[0-9a-fA-F]{6}", message = "must be a colour like #1e90ff") String color,
      @Size(max = 500) String description) {}

  record LabelPatch(
      @Size(min = 1, max = 100) String name,
      @Pattern(regexp = "#[0-9a-fA-F]{6}", message = "must be a colour like #1e90ff") String color,
      @Size(max = 500) String description) {}

  record ChatLabelsRequest(@NotNull List<@NotNull UUID> labelIds) {}

  record LabelView(
      UUID id,
      String name,
      String color,
      String description,
      int chatCount,
      boolean synced,
      Instant createdAt) {
    static LabelView of(LabelRepository.Label l) {
      return new LabelView(
          l.id(), l.name(), l.color(), l.description(), l.chatCount(), l.synced(), l.createdAt());
    }
  }

  record LabelledChatView(UUID sessionId, String chatId, Instant labelledAt) {}

  record BusinessCheck(
      UUID sessionId, boolean isBusiness, boolean labelsSupported, String status) {}

  @GetMapping
  @RequiresScope(Scopes.LABELS_READ)
  List<LabelView> list(Caller caller) {
    return labels.list(caller.tenantId()).stream().map(LabelView::of).toList();
  }

  @PostMapping
  @ResponseStatus(HttpStatus.CREATED)
  @RequiresScope(Scopes.LABELS_MANAGE)
  LabelView create(Caller caller, @Valid @RequestBody LabelRequest request) {
    return LabelView.of(
        labels.create(
            caller.tenantId(), request.name().strip(), request.color(), request.description()));
  }

  @GetMapping("/business-check")
  @RequiresScope(Scopes.LABELS_READ)
  @Operation(summary = "Whether the session's number can sync labels (WhatsApp Business)")
  BusinessCheck businessCheck(Caller caller, @RequestParam("session_id") UUID sessionId) {
    SessionInfo session = sessions.get(caller.tenantId(), SessionId.of(sessionId));
    boolean supported = transport.capabilities().labels();
    return new BusinessCheck(
        session.id().value(),
        session.isBusiness() || supported,
        supported,
        session.status().value());
  }

  @PostMapping("/sync-from-whatsapp")
  @RequiresScope(Scopes.LABELS_MANAGE)
  @Operation(summary = "Import the labels that exist in the number's WhatsApp Business app")
  List<LabelView> importFromWhatsApp(Caller caller, @RequestParam("session_id") UUID sessionId) {
    return labels.importFrom(caller.tenantId(), sessionId).stream().map(LabelView::of).toList();
  }

  @GetMapping("/chat/{chatId}")
  @RequiresScope(Scopes.LABELS_READ)
  @Operation(summary = "The labels on one chat of a session")
  List<LabelView> ofChat(
      Caller caller, @PathVariable String chatId, @RequestParam("session_id") UUID sessionId) {
    return labels.ofChat(caller.tenantId(), sessionId, ChatId.parse(chatId)).stream()
        .map(LabelView::of)
        .toList();
  }

  @PutMapping("/chat/{chatId}")
  @RequiresScope(Scopes.LABELS_MANAGE)
  @Operation(summary = "Replace the labels on one chat (also in WhatsApp for synced labels)")
  List<LabelView> setChatLabels(
      Caller caller,
      @PathVariable String chatId,
      @RequestParam("session_id") UUID sessionId,
      @Valid @RequestBody ChatLabelsRequest request) {
    return labels
        .setChatLabels(caller.tenantId(), sessionId, ChatId.parse(chatId), request.labelIds())
        .stream()
        .map(LabelView::of)
        .toList();
  }

  @GetMapping("/{id}")
  @RequiresScope(Scopes.LABELS_READ)
  LabelView get(Caller caller, @PathVariable UUID id) {
    return LabelView.of(labels.get(caller.tenantId(), id));
  }

  @PatchMapping("/{id}")
  @RequiresScope(Scopes.LABELS_MANAGE)
  LabelView update(Caller caller, @PathVariable UUID id, @Valid @RequestBody LabelPatch request) {
    return LabelView.of(
        labels.update(
            caller.tenantId(),
            id,
            request.name() == null ? null : request.name().strip(),
            request.color(),
            request.description()));
  }

  @DeleteMapping("/{id}")
  @ResponseStatus(HttpStatus.NO_CONTENT)
  @RequiresScope(Scopes.LABELS_MANAGE)
  void delete(Caller caller, @PathVariable UUID id) {
    labels.delete(caller.tenantId(), id);
  }

  @PostMapping("/{id}/sync")
  @RequiresScope(Scopes.LABELS_MANAGE)
  @Operation(summary = "Push the label to the number's WhatsApp Business labels")
  LabelView sync(Caller caller, @PathVariable UUID id, @RequestParam("session_id") UUID sessionId) {
    return LabelView.of(labels.sync(caller.tenantId(), id, sessionId));
  }

  @GetMapping("/{id}/chats")
  @RequiresScope(Scopes.LABELS_READ)
  @Operation(summary = "The chats that carry the label")
  List<LabelledChatView> chats(Caller caller, @PathVariable UUID id) {
    return labels.chatsWith(caller.tenantId(), id).stream()
        .map(c -> new LabelledChatView(c.sessionId(), c.chatId(), c.labelledAt()))
        .toList();
  }
}
