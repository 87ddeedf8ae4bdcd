package io.flowmate.leads.groups;

import io.flowmate.core.Ids;
import io.flowmate.core.LeadId;
import io.flowmate.core.MessageId;
import io.flowmate.core.SessionId;
import io.flowmate.core.sse.LiveEvents;
import io.flowmate.gateway.SessionInfo;
import io.flowmate.gateway.Sessions;
import io.flowmate.leads.LeadsSettings;
import io.flowmate.leads.events.GroupMessage;
import io.flowmate.leads.events.LeadDetected;
import io.flowmate.messaging.GroupMessages;
import io.flowmate.messaging.events.MessageReceived;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Lead detection in monitored groups. Messages arrive by the thousand a second, so the listener is
 * a plain synchronous {@code @EventListener} that returns at once for anything but a monitored
 * group ({@link GroupWatch}, in memory) and otherwise only queues the message's id once it is
 * committed. One worker thread takes what queued up in batches, waiting up to {@code batch-linger}
 * for a batch to fill (a busy stream then costs one transaction per few hundred messages, not one
 * per handful). It reads the batch's messages with one query, matches them (one pass of the
 * number's keyword automaton per message), and writes first senders, leads, analysis rows and
 * counters with one statement each, in one transaction. Events follow the commit.
 *
 * <p>The queue is memory only. Stopping examines what is queued first (for up to 10 seconds), and
 * the next start examines what each monitored group received after its last examined message (its
 * {@code last_message_at}) and before the new instance listened: nothing noticed is lost to a
 * restart or a crash. Under a sustained overload ingestion waits for room in the queue (back
 * pressure) up to {@code queue-wait}, then the message is skipped and counted in the log.
 */
@Component
class GroupDetection implements DisposableBean {

  private static final Logger log = LoggerFactory.getLogger(GroupDetection.class);
  private static final int PREVIEW_LENGTH = 500;
  private static final int ATTEMPTS = 3;

  /** How long stopping waits for detection to examine what is queued. */
  private static final Duration SHUTDOWN_WAIT = Duration.ofSeconds(10);

  private final GroupWatch watch;
  private final GroupMessages groupMessages;
  private final MonitoredGroupRepository monitoredGroups;
  private final DetectionRepository detection;
  private final GroupIntentClassifier classifier;
  private final GroupAutoResponder autoResponder;
  private final GroupAutoLabeler autoLabeler;
  private final Sessions sessions;
  private final LiveEvents live;
  private final ApplicationEventPublisher events;
  private final TransactionTemplate transaction;
  private final LeadsSettings.Groups settings;
  private final Clock clock;
  private final BlockingQueue<Noticed> queue;
  private final Thread worker;
  private final AtomicLong skipped = new AtomicLong();
  private final AtomicLong examined = new AtomicLong();
  private volatile boolean running = true;

  /** Messages stored up to here were stored before this instance listened: the catch-up's end. */
  private final Instant listeningSince;

  /**
   * Messages the listener queued while the catch-up ran, which it then leaves out (a message
   * delivered late can carry a WhatsApp time before {@link #listeningSince}); null afterwards.
   */
  private volatile Set<MessageId> seenWhileCatchingUp = ConcurrentHashMap.newKeySet();

  GroupDetection(
      GroupWatch watch,
      GroupMessages groupMessages,
      MonitoredGroupRepository monitoredGroups,
      DetectionRepository detection,
      GroupIntentClassifier classifier,
      GroupAutoResponder autoResponder,
      GroupAutoLabeler autoLabeler,
      Sessions sessions,
      LiveEvents live,
      ApplicationEventPublisher events,
      TransactionTemplate transaction,
      LeadsSettings settings,
      Clock clock) {
    this.watch = watch;
    this.groupMessages = groupMessages;
    this.monitoredGroups = monitoredGroups;
    this.detection = detection;
    this.classifier = classifier;
    this.autoResponder = autoResponder;
    this.autoLabeler = autoLabeler;
    this.sessions = sessions;
    this.live = live;
    this.events = events;
    this.transaction = transaction;
    this.settings = settings.groups();
    this.clock = clock;
    this.queue = new LinkedBlockingQueue<>(this.settings.queueCapacity());
    this.listeningSince = clock.instant();
    this.worker = new Thread(this::work, "group-detection");
    this.worker.setDaemon(true);
    this.worker.start();
  }

  /** A message of a monitored group, waiting to be examined. */
  record Noticed(MessageId messageId) {}

  @EventListener
  void onMessageReceived(MessageReceived received) {
    if (!received.groupMessage()
        || !settings.detection()
        || watch.watched(received.sessionId().value(), received.chatId()) == null) {
      return;
    }
    Noticed noticed = new Noticed(received.messageId());
    Set<MessageId> seen = seenWhileCatchingUp;
    if (seen != null && seen.size() < settings.queueCapacity()) {
      seen.add(received.messageId());
    }
    if (TransactionSynchronizationManager.isSynchronizationActive()) {
      TransactionSynchronizationManager.registerSynchronization(
          new TransactionSynchronization() {
            @Override
            public void afterCommit() {
              enqueue(noticed);
            }
          });
    } else {
      enqueue(noticed);
    }
  }

  private void enqueue(Noticed noticed) {
    try {
      if (!queue.offer(noticed, settings.queueWait().toMillis(), TimeUnit.MILLISECONDS)) {
        long total = skipped.incrementAndGet();
        if (total == 1 || total % 1_000 == 0) {
          log.warn(
              "Lead detection is overloaded: {} monitored-group messages skipped so far", total);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Once started, queues what monitored groups received after their last examined message and
   * before this instance listened: messages noticed but not examined when Flowmate last stopped, or
   * stored while detection was off. Runs on its own thread so that a long catch-up, waiting for
   * room in the queue, does not hold the start up.
   */
  @EventListener(ApplicationReadyEvent.class)
  void catchUp() {
    if (!settings.detection()) {
      seenWhileCatchingUp = null;
      return;
    }
    Thread.ofPlatform().name("group-detection-catch-up").daemon().start(this::queueMissed);
  }

  private void queueMissed() {
    try {
      int queued = 0;
      for (MonitoredGroup group : monitoredGroups.active()) {
        queued += queueMissed(group);
      }
      if (queued > 0) {
        log.info(
            "Examining {} monitored-group messages that arrived while nobody examined them",
            queued);
      }
    } catch (RuntimeException e) {
      log.error(
          "Could not look for monitored-group messages missed while Flowmate was down: {}",
          e.getMessage(),
          e);
    } finally {
      seenWhileCatchingUp = null;
    }
  }

  private int queueMissed(MonitoredGroup group) {
    // Monitoring (re)started at monitoring_since: what came before, while paused, is not examined.
    Instant examinedThrough =
        group.lastMessageAt() == null || group.lastMessageAt().isBefore(group.monitoringSince())
            ? group.monitoringSince()
            : group.lastMessageAt();
    List<MessageId> missed =
        groupMessages.incomingIds(
            group.tenantId(),
            SessionId.of(group.sessionId()),
            group.waGroupId(),
            examinedThrough,
            listeningSince,
            settings.catchUpLimit());
    if (missed.size() == settings.catchUpLimit()) {
      log.warn(
          "Group {}: only the {} oldest messages since its last examined one are examined",
          group.id(),
          missed.size());
    }
    int queued = 0;
    Set<MessageId> seen = seenWhileCatchingUp;
    for (MessageId id : missed) {
      if (!running) {
        break;
      }
      if (seen == null || !seen.contains(id)) {
        enqueue(new Noticed(id));
        queued++;
      }
    }
    return queued;
  }

  /** Group messages examined since start (for benchmarks and tests that wait for detection). */
  long examined() {
    return examined.get();
  }

  private void work() {
    List<Noticed> batch = new ArrayList<>(settings.batchSize());
    // Once stopping, what is queued is still examined (destroy waits for it), then the loop ends.
    while (running || !queue.isEmpty()) {
      try {
        Noticed first = queue.poll(running ? 500 : 0, TimeUnit.MILLISECONDS);
        if (first == null) {
          continue;
        }
        batch.add(first);
        fill(batch);
        detectWithRetries(batch);
      } catch (InterruptedException e) {
        return;
      } finally {
        batch.clear();
      }
    }
  }

  /** Adds what is queued to the batch, waiting up to the linger for it to fill. */
  private void fill(List<Noticed> batch) throws InterruptedException {
    long deadline = System.nanoTime() + (running ? settings.batchLinger().toNanos() : 0);
    while (true) {
      queue.drainTo(batch, settings.batchSize() - batch.size());
      long left = deadline - System.nanoTime();
      if (batch.size() >= settings.batchSize() || left <= 0) {
        return;
      }
      Noticed next = queue.poll(left, TimeUnit.NANOSECONDS);
      if (next == null) {
        return;
      }
      batch.add(next);
    }
  }

  private void detectWithRetries(List<Noticed> batch) throws InterruptedException {
    for (int attempt = 1; ; attempt++) {
      try {
        detect(batch);
        return;
      } catch (RuntimeException e) {
        if (attempt == ATTEMPTS || !running) {
          log.error(
              "Lead detection gave up on {} monitored-group messages: {}",
              batch.size(),
              e.getMessage(),
              e);
          examined.addAndGet(batch.size());
          return;
        }
        log.warn(
            "Lead detection failed for {} messages, trying again: {}",
            batch.size(),
            e.getMessage());
        Thread.sleep(500L * attempt);
      }
    }
  }

  /** What detection made of one message. */
  private record Verdict(
      GroupMessages.Inbound message,
      GroupWatch.Watched group,
      List<String> keywords,
      GroupIntentClassifier.Analysis analysis,
      boolean match,
      String senderKey) {

    String trigger() {
      return keywords.isEmpty() ? null : keywords.getFirst();
    }
  }

  /** Examines a batch: one read, one transaction of a few statements, then the events. */
  void detect(List<Noticed> batch) {
    List<GroupMessages.Inbound> messages =
        groupMessages.incoming(batch.stream().map(Noticed::messageId).toList());
    List<Verdict> verdicts = new ArrayList<>(messages.size());
    Map<UUID, String> ownNumbers = new HashMap<>();
    for (GroupMessages.Inbound message : messages) {
      GroupWatch.SessionWatch session = watch.session(message.sessionId().value());
      GroupWatch.Watched group =
          session == null ? null : session.byChat().get(message.group().value());
      if (group == null) {
        continue; // monitoring stopped since the message was noticed
      }
      List<String> keywords = session.keywords().match(message.text(), group.groupId());
      String senderKey =
          message.senderPhone() != null ? message.senderPhone() : message.senderLid();
      GroupIntentClassifier.Analysis analysis = null;
      boolean match =
          switch (group.mode()) {
            case ALL -> true;
            case KEYWORDS -> !keywords.isEmpty();
            case MENTIONS ->
                mentions(
                    message.text(),
                    ownNumbers.computeIfAbsent(message.sessionId().value(), this::ownNumber));
            case FIRST_MESSAGE -> false; // decided once the first senders are recorded
            case AI_ANALYSIS -> {
              analysis =
                  classifier.classify(message.text(), keywords, group.script().monitorPrompt());
              yield analysis.intent().isLead() && analysis.leadScore() >= settings.aiLeadScore();
            }
          };
      verdicts.add(new Verdict(message, group, keywords, analysis, match, senderKey));
    }
    if (verdicts.isEmpty()) {
      examined.addAndGet(batch.size());
      return;
    }
    List<LeadDetected> detected = new ArrayList<>();
    List<Verdict> ours = new ArrayList<>();
    transaction.executeWithoutResult(status -> {
      // Another Flowmate instance may be examining the same messages (its catch-up after a start
      // reads what this one is examining): each message is examined by whoever records it first.
      Set<UUID> claimed =
          detection.claimExamined(
              verdicts.stream().map(v -> v.message().messageId().value()).toList(),
              clock.instant());
      verdicts.stream()
          .filter(v -> claimed.contains(v.message().messageId().value()))
          .forEach(ours::add);
      detected.addAll(write(ours));
    });
    examined.addAndGet(batch.size());
    announce(ours, detected);
    forgetOldClaimsHourly();
  }

  private volatile Instant claimsForgotten = Instant.EPOCH;

  /** Claims outlive any catch-up that could read their message again by far after a day. */
  private void forgetOldClaimsHourly() {
    Instant now = clock.instant();
    if (claimsForgotten.isBefore(now.minus(Duration.ofHours(1)))) {
      claimsForgotten = now;
      try {
        detection.forgetExaminedBefore(now.minus(Duration.ofDays(1)));
      } catch (RuntimeException e) {
        log.warn("Could not forget old examined-message claims: {}", e.getMessage());
      }
    }
  }

  /** Writes the batch's outcome; answers the leads detected. */
  private List<LeadDetected> write(List<Verdict> verdicts) {
    Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
    List<DetectionRepository.Sender> candidates = new ArrayList<>();
    for (Verdict v : verdicts) {
      if (v.group().mode() == MonitorMode.FIRST_MESSAGE && v.senderKey() != null) {
        candidates.add(
            new DetectionRepository.Sender(v.group().groupId(), v.senderKey(), v.message().at()));
      }
    }
    Set<String> firstSenders = detection.recordFirstSenders(firstOfEach(candidates));
    List<Verdict> decided = new ArrayList<>(verdicts.size());
    for (Verdict v : verdicts) {
      boolean first =
          v.group().mode() == MonitorMode.FIRST_MESSAGE
              && v.senderKey() != null
              && firstSenders.remove(DetectionRepository.key(v.group().groupId(), v.senderKey()));
      decided.add(
          first
              ? new Verdict(v.message(), v.group(), v.keywords(), v.analysis(), true, v.senderKey())
              : v);
    }

    // Leads need a phone number: senders known only by linked id are counted, not made leads.
    Map<String, DetectionRepository.LeadRow> proposed = new LinkedHashMap<>();
    for (Verdict v : decided) {
      if (v.match() && v.message().senderPhone() != null) {
        proposed.putIfAbsent(
            leadKey(v),
            new DetectionRepository.LeadRow(
                Ids.newId(),
                v.message().tenantId(),
                v.message().senderPhone(),
                v.message().senderName(),
                v.message().at(),
                v.group().groupId(),
                v.group().name(),
                v.trigger(),
                preview(v.message().text()),
                v.group().mode()));
      }
    }
    Map<String, DetectionRepository.Upserted> leads =
        detection.upsertLeads(List.copyOf(proposed.values()), now);

    List<DetectionRepository.AnalysisRow> rows = new ArrayList<>();
    List<LeadDetected> detected = new ArrayList<>();
    Map<UUID, long[]> counts = new LinkedHashMap<>();
    Map<UUID, Instant> lastAt = new HashMap<>();
    for (Verdict v : decided) {
      GroupMessages.Inbound m = v.message();
      UUID groupId = v.group().groupId();
      long[] count = counts.computeIfAbsent(groupId, g -> new long[2]);
      count[0]++;
      lastAt.merge(groupId, m.at(), (a, b) -> a.isAfter(b) ? a : b);
      DetectionRepository.Upserted lead = null;
      boolean newLead = false;
      if (v.match() && m.senderPhone() != null) {
        lead = leads.get(m.tenantId().value() + " " + m.senderPhone());
        // The batch's first match of a phone proposed the row: only it counts the lead as new.
        newLead = lead != null && lead.inserted() && proposed.remove(leadKey(v)) != null;
        if (newLead) {
          count[1]++;
        }
        if (lead != null) {
          detected.add(
              new LeadDetected(
                  m.tenantId(),
                  LeadId.of(lead.id()),
                  groupId,
                  m.sessionId(),
                  m.messageId(),
                  v.trigger(),
                  newLead,
                  now));
        }
      }
      if (v.match() || v.analysis() != null) {
        rows.add(
            new DetectionRepository.AnalysisRow(
                groupId,
                m.messageId().value(),
                m.tenantId(),
                m.at(),
                v.keywords(),
                v.match(),
                lead == null ? null : lead.id(),
                newLead,
                v.analysis()));
      }
    }
    detection.insertAnalyses(rows);
    detection.addCounts(
        counts.entrySet().stream()
            .map(e ->
                new DetectionRepository.Counts(
                    e.getKey(), e.getValue()[0], e.getValue()[1], lastAt.get(e.getKey())))
            .toList());
    return detected;
  }

  private static String leadKey(Verdict v) {
    return v.message().tenantId().value() + " " + v.message().senderPhone();
  }

  /** A sender's earliest message of the batch in each group. */
  private static List<DetectionRepository.Sender> firstOfEach(
      List<DetectionRepository.Sender> candidates) {
    Map<String, DetectionRepository.Sender> first = new LinkedHashMap<>();
    for (DetectionRepository.Sender s : candidates) {
      first.merge(
          DetectionRepository.key(s.groupId(), s.sender()),
          s,
          (a, b) -> b.at().isBefore(a.at()) ? b : a);
    }
    return List.copyOf(first.values());
  }

  /** Events once committed: application events for other modules, live events for open streams. */
  private void announce(List<Verdict> verdicts, List<LeadDetected> detected) {
    Instant now = clock.instant();
    for (Verdict v : verdicts) {
      GroupMessages.Inbound m = v.message();
      GroupMessage event =
          new GroupMessage(
              m.tenantId(), m.sessionId(), v.group().groupId(), m.messageId(), v.trigger(), m.at());
      events.publishEvent(event);
      Map<String, Object> data = new LinkedHashMap<>();
      data.put("group_id", v.group().groupId());
      data.put("session_id", m.sessionId());
      data.put("message_id", m.messageId());
      data.put("matched_keyword", v.trigger());
      live.publish(m.tenantId(), m.sessionId().value(), "group.message", data);
    }
    Map<UUID, GroupWatch.Watched> groupsById = new HashMap<>();
    verdicts.forEach(v -> groupsById.put(v.group().groupId(), v.group()));
    for (LeadDetected lead : detected) {
      events.publishEvent(lead);
      Map<String, Object> data = new LinkedHashMap<>();
      data.put("lead_id", lead.leadId());
      data.put("group_id", lead.groupId());
      data.put("session_id", lead.sessionId());
      data.put("message_id", lead.messageId());
      data.put("matched_keyword", lead.matchedKeyword());
      data.put("new_lead", lead.newLead());
      data.put("detected_at", now);
      live.publish(lead.tenantId(), lead.sessionId().value(), "lead.detected", data);
      if (lead.newLead()) {
        autoResponder.respond(groupsById.get(lead.groupId()), lead);
        autoLabeler.label(groupsById.get(lead.groupId()), lead);
      }
    }
  }

  /**
   * Whether the text mentions the number. WhatsApp writes a mention into the text as {@code @} and
   * the number's digits (transports pass no separate mention list), so that is what is looked for,
   * not followed by another digit.
   */
  static boolean mentions(String text, String ownNumber) {
    if (text == null || ownNumber == null) {
      return false;
    }
    String mention = "@" + ownNumber;
    for (int at = text.indexOf(mention); at >= 0; at = text.indexOf(mention, at + 1)) {
      int end = at + mention.length();
      if (end == text.length() || !Character.isDigit(text.charAt(end))) {
        return true;
      }
    }
    return false;
  }

  private String ownNumber(UUID sessionId) {
    return sessions.identify(SessionId.of(sessionId)).map(SessionInfo::phoneNumber).orElse(null);
  }

  private static String preview(String text) {
    return text == null || text.length() <= PREVIEW_LENGTH
        ? text
        : text.substring(0, PREVIEW_LENGTH);
  }

  @Override
  public void destroy() throws InterruptedException {
    running = false;
    worker.join(SHUTDOWN_WAIT.toMillis());
    if (worker.isAlive()) {
      log.warn("Stopping with {} monitored-group messages not examined", queue.size());
      worker.interrupt();
    }
  }
}
