package io.flowmate.messaging;

import io.flowmate.core.ChatId;
import io.flowmate.core.LogSafe;
import io.flowmate.core.SessionId;
import io.flowmate.core.TenantId;
import io.flowmate.core.api.ApiException;
import io.flowmate.core.api.Page;
import io.flowmate.core.api.PageQuery;
import io.flowmate.gateway.SessionInfo;
import io.flowmate.gateway.Sessions;
import io.flowmate.gateway.spi.GroupMember;
import io.flowmate.gateway.spi.TransportException;
import io.flowmate.gateway.spi.WhatsAppTransport;
import io.flowmate.messaging.chats.ContactRepository;
import io.flowmate.messaging.chats.GroupRepository;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;

/**
 * Read-only: the people and WhatsApp groups the tenant's numbers know, for modules that build
 * contact lists from them. People come from what the numbers have seen. Groups and participants are
 * asked of WhatsApp while the number is working, because Flowmate records only the group changes it
 * is told about: a group that existed before the number was paired would otherwise look empty.
 */
@Service
public class Directory {

  private static final Logger log = LoggerFactory.getLogger(Directory.class);

  /** A person with a phone number, merged across the tenant's numbers. */
  public record Person(
      String phone, String lid, String name, List<SessionId> sessionIds, Instant lastInboundAt) {}

  /** A WhatsApp group one of the tenant's working numbers is in. */
  public record WaGroup(
      SessionId sessionId, String sessionName, ChatId groupId, String name, int participantCount) {}

  /**
   * A participant of a group other than the number itself.
   *
   * @param phone E.164 digits; null when WhatsApp shows only the linked id and no number of the
   *     tenant's session has seen that person's phone number
   */
  public record Participant(String phone, String lid, String name) {}

  private final ContactRepository contacts;
  private final GroupRepository groups;
  private final Sessions sessions;
  private final WhatsAppTransport transport;

  Directory(
      ContactRepository contacts,
      GroupRepository groups,
      Sessions sessions,
      WhatsAppTransport transport) {
    this.contacts = contacts;
    this.groups = groups;
    this.sessions = sessions;
    this.transport = transport;
  }

  /**
   * Every distinct phone number the tenant's numbers have seen (people known only by LID are left
   * out).
   */
  public Page<Person> people(TenantId tenant, PageQuery page) {
    List<Person> items =
        contacts.people(tenant, page.limit(), page.offset()).stream()
            .map(p ->
                new Person(
                    p.phone(),
                    p.lid(),
                    p.name(),
                    p.sessionIds().stream().map(SessionId::of).toList(),
                    p.lastInboundAt()))
            .toList();
    return Page.of(items, contacts.countPeople(tenant), page);
  }

  /**
   * The groups of every working session, with participant counts. A session WhatsApp cannot be
   * asked about right now answers with what Flowmate recorded of its groups.
   */
  public List<WaGroup> groups(TenantId tenant) {
    List<WaGroup> found = new ArrayList<>();
    for (SessionInfo session : sessions.list(tenant)) {
      if (!session.isWorking()) {
        continue;
      }
      try {
        transport.groups(session.ref()).stream()
            .map(g ->
                new WaGroup(
                    session.id(), session.name(), g.id(), g.subject(), g.participantCount()))
            .forEach(found::add);
      } catch (TransportException e) {
        log.warn(
            "Groups of session {} read from the database: WhatsApp did not answer ({})",
            session.id(),
            LogSafe.text(e.getMessage()));
        groups.list(session.id().value()).stream()
            .filter(GroupRepository.GroupRow::member)
            .map(g ->
                new WaGroup(
                    session.id(), session.name(), g.groupId(), g.subject(), g.participantCount()))
            .forEach(found::add);
      }
    }
    return found;
  }

  /**
   * The group's current participants, without the session's own number. A participant WhatsApp
   * shows only by linked id gets the phone number under which one of the session's contacts was
   * seen with that id, if any.
   *
   * @throws ApiException 404 for another tenant's session or a group the number is not in, 409 when
   *     the session is not working, 503 when WhatsApp cannot be asked right now
   */
  public List<Participant> participants(TenantId tenant, SessionId sessionId, ChatId group) {
    SessionInfo session = sessions.get(tenant, sessionId);
    if (!session.isWorking()) {
      throw ApiException.conflict(
          "Session '%s' is %s: start it, a group's participants are read from WhatsApp"
              .formatted(sessionId, session.status().value()));
    }
    List<GroupMember> members;
    try {
      members = transport.members(session.ref(), group);
    } catch (TransportException e) {
      if (e.retryable()) {
        throw new ApiException(
            HttpStatus.SERVICE_UNAVAILABLE,
            "WhatsApp could not be asked for the participants of '%s' right now (%s); try again"
                .formatted(group, e.getMessage()));
      }
      throw new ApiException(
          HttpStatus.NOT_FOUND,
          "WhatsApp group '%s' not found in session '%s'".formatted(group, sessionId));
    }
    List<GroupMember> others =
        members.stream()
            .filter(m -> !m.identity().isEmpty())
            .filter(m ->
                session.phoneNumber() == null
                    || !session.phoneNumber().equals(m.identity().phoneNumber()))
            .toList();
    Map<String, ContactRepository.Contact> byLid = new HashMap<>();
    Map<String, ContactRepository.Contact> byPhone = new HashMap<>();
    contacts
        .findAll(
            sessionId.value(),
            others.stream().map(m -> m.identity().lid()).filter(Objects::nonNull).toList(),
            others.stream().map(m -> m.identity().phoneNumber()).filter(Objects::nonNull).toList())
        .forEach(c -> {
          if (c.lid() != null) {
            byLid.put(c.lid(), c);
          }
          if (c.phone() != null) {
            byPhone.put(c.phone(), c);
          }
        });
    return others.stream()
        .map(m -> {
          String lid = m.identity().lid();
          ContactRepository.Contact known =
              m.identity().phoneNumber() != null ? byPhone.get(m.identity().phoneNumber()) : null;
          if (known == null && lid != null) {
            known = byLid.get(lid);
          }
          String phone =
              m.identity().phoneNumber() != null
                  ? m.identity().phoneNumber()
                  : known == null ? null : known.phone();
          String name =
              m.identity().pushName() != null
                  ? m.identity().pushName()
                  : known == null ? null : known.pushName();
          return new Participant(phone, lid, name);
        })
        .toList();
  }
}
