package io.flowmate.messaging.chats;

import io.flowmate.core.ChatId;
import io.flowmate.core.SessionId;
import io.flowmate.core.api.Page;
import io.flowmate.core.api.PageQuery;
import io.flowmate.core.security.Caller;
import io.flowmate.core.security.RequiresScope;
import io.flowmate.core.security.Scopes;
import io.flowmate.gateway.Sessions;
import io.flowmate.messaging.labels.LabelRepository;
import io.flowmate.messaging.labels.LabelService;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Reading conversations (behind the chat-history opt-in, as in the reference API). */
@RestController
@RequestMapping("/api/v2/messages")
@Tag(name = "Messages")
class ChatController {

  private final ChatRepository chats;
  private final ConversationQueries messages;
  private final LabelService labels;
  private final MessageViews views;
  private final Sessions sessions;

  ChatController(
      ChatRepository chats,
      ConversationQueries messages,
      LabelService labels,
      MessageViews views,
      Sessions sessions) {
    this.chats = chats;
    this.messages = messages;
    this.labels = labels;
    this.views = views;
    this.sessions = sessions;
  }

  record ChatView(
      String chatId,
      String name,
      boolean isGroup,
      Instant lastMessageAt,
      String lastMessagePreview,
      String lastDirection,
      Instant lastInboundAt,
      Instant lastOutboundAt,
      int unreadCount,
      int messageCount,
      List<String> labels) {}

  @GetMapping("/chats/{sessionId}")
  @RequiresScope(Scopes.MESSAGES_READ)
  @Operation(summary = "The session's chats, most recent first (needs the chat-history opt-in)")
  Page<ChatView> chats(
      Caller caller,
      @PathVariable UUID sessionId,
      @RequestParam(required = false) Integer limit,
      @RequestParam(required = false) Integer offset) {
    PageQuery page = PageQuery.of(limit, offset);
    sessions.get(caller.tenantId(), SessionId.of(sessionId));
    views.requireChatHistory(caller.tenantId());
    List<ChatView> items =
        chats.list(caller.tenantId(), sessionId, page).stream()
            .map(c ->
                new ChatView(
                    c.chatId().value(),
                    c.name(),
                    c.isGroup(),
                    c.lastMessageAt(),
                    c.lastMessagePreview(),
                    c.lastDirection(),
                    c.lastInboundAt(),
                    c.lastOutboundAt(),
                    c.unreadCount(),
                    c.messageCount(),
                    labels.ofChat(caller.tenantId(), sessionId, c.chatId()).stream()
                        .map(LabelRepository.Label::name)
                        .toList()))
            .toList();
    return Page.of(items, chats.count(caller.tenantId(), sessionId), page);
  }

  @GetMapping("/chat/{sessionId}/{chatId}")
  @RequiresScope(Scopes.MESSAGES_READ)
  @Operation(summary = "The messages of one chat, newest first (needs the chat-history opt-in)")
  Page<MessageViews.MessageView> chat(
      Caller caller,
      @PathVariable UUID sessionId,
      @PathVariable String chatId,
      @RequestParam(required = false) Integer limit,
      @RequestParam(required = false) Integer offset) {
    PageQuery page = PageQuery.of(limit, offset);
    ChatId chat = ChatId.parse(chatId);
    sessions.get(caller.tenantId(), SessionId.of(sessionId));
    views.requireChatHistory(caller.tenantId());
    return Page.of(
        messages.inChat(caller.tenantId(), sessionId, chat, page).stream()
            .map(views::view)
            .toList(),
        messages.countInChat(caller.tenantId(), sessionId, chat),
        page);
  }
}
