package io.flowmate.leads.groups;

import io.flowmate.core.ChatId;
import io.flowmate.core.TenantId;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Which groups detection watches, in memory: for every number (session), its active monitored
 * groups by WhatsApp group id and one {@link KeywordAutomaton} over all their keywords. Built from
 * the database and replaced as a whole (one volatile write) whenever monitoring changes, so the
 * question asked for every incoming message, "is this chat a monitored group?", is two map lookups
 * without a lock or a query.
 */
@Component
class GroupWatch implements InitializingBean {

  private static final Logger log = LoggerFactory.getLogger(GroupWatch.class);

  /** A watched group as detection needs it. */
  record Watched(
      UUID groupId,
      TenantId tenantId,
      UUID sessionId,
      ChatId chat,
      String name,
      MonitorMode mode,
      List<String> keywords,
      MonitoredGroup.Script script) {}

  /** One number's watched groups and the automaton over their keywords. */
  record SessionWatch(Map<String, Watched> byChat, KeywordAutomaton<UUID> keywords) {}

  private final MonitoredGroupRepository groups;
  private volatile Map<UUID, SessionWatch> bySession = Map.of();

  GroupWatch(MonitoredGroupRepository groups) {
    this.groups = groups;
  }

  @Override
  public void afterPropertiesSet() {
    reload();
  }

  /** The watched group behind the chat of a number, or null: the hot path, no I/O. */
  Watched watched(UUID sessionId, String chatId) {
    SessionWatch session = bySession.get(sessionId);
    return session == null ? null : session.byChat().get(chatId);
  }

  SessionWatch session(UUID sessionId) {
    return bySession.get(sessionId);
  }

  boolean watchesAnything() {
    return !bySession.isEmpty();
  }

  /** Reads the active monitored groups again and swaps them in. */
  synchronized void reload() {
    Map<UUID, SessionWatch> loaded = new HashMap<>();
    groups.active().stream()
        .collect(Collectors.groupingBy(MonitoredGroup::sessionId))
        .forEach((session, inSession) -> {
          Map<String, Watched> byChat = new HashMap<>();
          Map<UUID, List<String>> keywords = new HashMap<>();
          for (MonitoredGroup g : inSession) {
            byChat.put(
                g.waGroupId().value(),
                new Watched(
                    g.id(),
                    g.tenantId(),
                    g.sessionId(),
                    g.waGroupId(),
                    g.name(),
                    g.mode(),
                    List.copyOf(g.keywords()),
                    g.script()));
            if (!g.keywords().isEmpty()) {
              keywords.put(g.id(), g.keywords());
            }
          }
          loaded.put(session, new SessionWatch(Map.copyOf(byChat), KeywordAutomaton.of(keywords)));
        });
    bySession = Map.copyOf(loaded);
    log.debug(
        "Watching {} monitored groups of {} numbers",
        loaded.values().stream().mapToInt(s -> s.byChat().size()).sum(),
        loaded.size());
  }

  /** Picks up changes another instance made. */
  @Scheduled(
      fixedDelayString = "${flowmate.leads.groups.reload-interval:1m}",
      initialDelayString = "${flowmate.leads.groups.reload-interval:1m}")
  void refresh() {
    reload();
  }
}
