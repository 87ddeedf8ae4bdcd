package io.flowmate.messaging.labels;

import io.flowmate.core.ChatId;
import io.flowmate.core.Ids;
import io.flowmate.core.SessionId;
import io.flowmate.core.TenantId;
import io.flowmate.core.api.ApiException;
import io.flowmate.gateway.SessionInfo;
import io.flowmate.gateway.Sessions;
import io.flowmate.gateway.spi.TransportException;
import io.flowmate.gateway.spi.TransportLabel;
import io.flowmate.gateway.spi.WhatsAppTransport;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.UUID;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Labels on chats, synced both ways with WhatsApp Business labels: pushed to a number on request,
 * imported from it, and followed when they change on the phone.
 *
 * <p>No call to WhatsApp runs inside a database transaction: a transport call may take its whole
 * timeout (30 s for WAHA), and a connection held that long per request would let a slow WhatsApp
 * exhaust the pool for every tenant. WhatsApp is asked first where its answer decides what is
 * written (import, chat labels), and told after the commit where Flowmate's change comes first.
 */
@Service
public class LabelService {

  static final List<String> PALETTE =
      List.of(
          "#ff9485", "#64c4ff", "#ffd429", "#dfaef0", "#99b6c1", "#55ccb3", "#ff9dff", "#d3a91d");

  private final LabelRepository labels;
  private final Sessions sessions;
  private final WhatsAppTransport transport;
  private final TransactionTemplate transaction;
  private final Clock clock;

  LabelService(
      LabelRepository labels,
      Sessions sessions,
      WhatsAppTransport transport,
      TransactionTemplate transaction,
      Clock clock) {
    this.labels = labels;
    this.sessions = sessions;
    this.transport = transport;
    this.transaction = transaction;
    this.clock = clock;
  }

  LabelRepository.Label get(TenantId tenant, UUID id) {
    return labels.find(tenant, id).orElseThrow(() -> ApiException.notFound("Label", id));
  }

  @Transactional
  LabelRepository.Label create(TenantId tenant, String name, String color, String description) {
    UUID id = Ids.newId();
    String shown =
        color == null ? PALETTE.get(Math.floorMod(name.hashCode(), PALETTE.size())) : color;
    if (!labels.insertIfAbsent(id, tenant, name, shown, description, clock.instant())) {
      throw ApiException.conflict("A label named '%s' already exists".formatted(name));
    }
    return get(tenant, id);
  }

  /** Changes the label, then pushes it to the numbers it is synced to (after the commit). */
  LabelRepository.Label update(
      TenantId tenant, UUID id, String name, String color, String description) {
    LabelRepository.Label updated =
        transaction.execute(status -> {
          LabelRepository.Label label = get(tenant, id);
          if (name != null
              && !name.equalsIgnoreCase(label.name())
              && labels.findByName(tenant, name).isPresent()) {
            throw ApiException.conflict("A label named '%s' already exists".formatted(name));
          }
          labels.update(
              id,
              name == null ? label.name() : name,
              color == null ? label.color() : color,
              description == null ? label.description() : description,
              clock.instant());
          return get(tenant, id);
        });
    try {
      for (String session : labels.linkedSessions(id)) {
        sessions
            .findById(SessionId.of(UUID.fromString(session)))
            .filter(SessionInfo::isWorking)
            .ifPresent(s -> push(s, updated));
      }
    } catch (ApiException e) {
      throw ApiException.conflict(
          "The label was changed in Flowmate but not on WhatsApp (%s); push it again with POST /labels/%s/sync"
              .formatted(e.getMessage(), id));
    }
    return updated;
  }

  /** Deletes the label on the numbers it is synced to (failures ignored), then in Flowmate. */
  void delete(TenantId tenant, UUID id) {
    get(tenant, id);
    for (String session : labels.linkedSessions(id)) {
      UUID sessionId = UUID.fromString(session);
      labels
          .waLabelId(id, sessionId)
          .ifPresent(wa ->
              sessions
                  .findById(SessionId.of(sessionId))
                  .filter(SessionInfo::isWorking)
                  .ifPresent(s -> quietly(() -> transport.deleteLabel(s.ref(), wa))));
    }
    labels.delete(id);
  }

  /** Pushes the label to the number's WhatsApp Business labels. */
  LabelRepository.Label sync(TenantId tenant, UUID id, UUID sessionId) {
    LabelRepository.Label label = get(tenant, id);
    SessionInfo session = businessSession(tenant, sessionId);
    push(session, label);
    return get(tenant, id);
  }

  /** Imports the number's WhatsApp Business labels (matching existing ones by name). */
  List<LabelRepository.Label> importFrom(TenantId tenant, UUID sessionId) {
    SessionInfo session = businessSession(tenant, sessionId);
    List<TransportLabel> found = call(() -> transport.labels(session.ref()));
    return transaction.execute(status -> {
      List<LabelRepository.Label> imported = new ArrayList<>();
      for (TransportLabel wa : found) {
        imported.add(adopt(session, wa));
      }
      return imported;
    });
  }

  List<LabelRepository.Label> list(TenantId tenant) {
    return labels.list(tenant);
  }

  List<LabelRepository.LabelledChat> chatsWith(TenantId tenant, UUID id) {
    get(tenant, id);
    return labels.chatsWith(id);
  }

  /** The labels of a chat. */
  public List<LabelRepository.Label> ofChat(TenantId tenant, UUID sessionId, ChatId chat) {
    sessions.get(tenant, SessionId.of(sessionId));
    return labels.labelsOfChat(sessionId, chat).stream()
        .map(id -> labels.find(tenant, id))
        .flatMap(java.util.Optional::stream)
        .toList();
  }

  /**
   * Replaces the labels of a chat, also on WhatsApp for labels synced to the number. WhatsApp is
   * told first: if it refuses, nothing changes here either.
   */
  public List<LabelRepository.Label> setChatLabels(
      TenantId tenant, UUID sessionId, ChatId chat, List<UUID> labelIds) {
    SessionInfo session = sessions.get(tenant, SessionId.of(sessionId));
    LinkedHashSet<UUID> wanted = new LinkedHashSet<>(labelIds);
    wanted.forEach(id -> get(tenant, id));
    List<String> waIds =
        wanted.stream()
            .map(id -> labels.waLabelId(id, sessionId))
            .flatMap(java.util.Optional::stream)
            .toList();
    boolean anySynced =
        !waIds.isEmpty() || wanted.stream().anyMatch(id -> get(tenant, id).synced());
    if (anySynced && session.isWorking() && transport.capabilities().labels()) {
      call(() -> {
        transport.setChatLabels(session.ref(), chat, waIds);
        return null;
      });
    }
    transaction.executeWithoutResult(status -> {
      Instant now = clock.instant();
      for (UUID existing : labels.labelsOfChat(sessionId, chat)) {
        if (!wanted.contains(existing)) {
          labels.removeFromChat(sessionId, chat, existing);
        }
      }
      wanted.forEach(id -> labels.addToChat(tenant, sessionId, chat, id, now));
    });
    return ofChat(tenant, sessionId, chat);
  }

  /** A label created or changed on the phone. */
  public void onWhatsAppLabel(SessionInfo session, TransportLabel wa, boolean deleted) {
    if (deleted) {
      // A label deleted on one phone stays in Flowmate; only the link to that phone goes.
      return;
    }
    adopt(session, wa);
  }

  /**
   * Before a chat-label event is stored: adopts the WhatsApp label it names if Flowmate does not
   * know it yet. WhatsApp is asked here, on the caller's thread and outside any transaction, so
   * that a slow WhatsApp does not hold the inbound writers (and their connections) for everyone.
   */
  public void learnWhatsAppLabel(UUID sessionId, String waLabelId) {
    if (labels.labelForWaId(sessionId, waLabelId).isPresent()) {
      return;
    }
    sessions
        .findById(SessionId.of(sessionId))
        .ifPresent(session ->
            call(() -> transport.labels(session.ref())).stream()
                .filter(l -> l.id().equals(waLabelId))
                .findFirst()
                .ifPresent(wa -> transaction.executeWithoutResult(status -> adopt(session, wa))));
  }

  /** A label put on (or taken off) a chat on the phone; labels unknown here were learnt before. */
  public void onWhatsAppChatLabel(
      SessionInfo session, ChatId chat, String waLabelId, boolean added) {
    labels
        .labelForWaId(session.id().value(), waLabelId)
        .ifPresent(labelId -> {
          if (added) {
            labels.addToChat(
                session.tenantId(), session.id().value(), chat, labelId, clock.instant());
          } else {
            labels.removeFromChat(session.id().value(), chat, labelId);
          }
        });
  }

  private LabelRepository.Label adopt(SessionInfo session, TransportLabel wa) {
    UUID id =
        labels
            .labelForWaId(session.id().value(), wa.id())
            .or(() ->
                labels.findByName(session.tenantId(), wa.name()).map(LabelRepository.Label::id))
            .orElseGet(() -> {
              UUID created = Ids.newId();
              String color = wa.colorHex() == null ? PALETTE.getFirst() : wa.colorHex();
              return labels.insertIfAbsent(
                      created, session.tenantId(), wa.name(), color, null, clock.instant())
                  ? created
                  : labels.findByName(session.tenantId(), wa.name()).orElseThrow().id();
            });
    labels.link(id, session.id().value(), wa.id());
    return get(session.tenantId(), id);
  }

  private void push(SessionInfo session, LabelRepository.Label label) {
    String waId = labels.waLabelId(label.id(), session.id().value()).orElse(null);
    TransportLabel saved =
        call(() ->
            transport.saveLabel(
                session.ref(), new TransportLabel(waId, label.name(), label.color())));
    labels.link(label.id(), session.id().value(), saved.id());
  }

  private SessionInfo businessSession(TenantId tenant, UUID sessionId) {
    SessionInfo session = sessions.get(tenant, SessionId.of(sessionId));
    if (!session.isWorking()) {
      throw ApiException.conflict(
          "Session '%s' is %s; labels sync with a working WhatsApp Business number"
              .formatted(sessionId, session.status().value()));
    }
    if (!transport.capabilities().labels()) {
      throw ApiException.conflict("This WhatsApp transport does not support labels");
    }
    return session;
  }

  private static <T> T call(java.util.function.Supplier<T> action) {
    try {
      return action.get();
    } catch (TransportException e) {
      throw ApiException.conflict("WhatsApp refused the label change: " + e.getMessage());
    }
  }

  private static void quietly(Runnable action) {
    try {
      action.run();
    } catch (TransportException ignored) {
      // the label goes away in Flowmate anyway
    }
  }
}
