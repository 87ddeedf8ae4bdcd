package io.flowmate.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyList;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import io.flowmate.core.ChatId;
import io.flowmate.core.SessionId;
import io.flowmate.core.TenantId;
import io.flowmate.core.api.ApiException;
import io.flowmate.gateway.SessionInfo;
import io.flowmate.gateway.SessionStatus;
import io.flowmate.gateway.Sessions;
import io.flowmate.gateway.spi.GroupMember;
import io.flowmate.gateway.spi.GroupSummary;
import io.flowmate.gateway.spi.TransportException;
import io.flowmate.gateway.spi.WaIdentity;
import io.flowmate.gateway.spi.WhatsAppTransport;
import io.flowmate.messaging.chats.ContactRepository;
import io.flowmate.messaging.chats.GroupRepository;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;

/** The directory's rules, with the transport and the stored contacts and groups as stand-ins. */
class DirectoryTests {

  private static final TenantId TENANT = TenantId.of(UUID.randomUUID());
  private static final ChatId GROUP = new ChatId("120363000000000001@g.us");
  private static final String OWN_NUMBER = "4915100000900";

  private final ContactRepository contacts = mock(ContactRepository.class);
  private final GroupRepository groups = mock(GroupRepository.class);
  private final Sessions sessions = mock(Sessions.class);
  private final WhatsAppTransport transport = mock(WhatsAppTransport.class);
  private final Directory directory = new Directory(contacts, groups, sessions, transport);

  private static SessionInfo session(SessionStatus status) {
    return new SessionInfo(
        SessionId.of(UUID.randomUUID()),
        TENANT,
        "main",
        status,
        OWN_NUMBER,
        false,
        null,
        Instant.now());
  }

  private static GroupMember member(String lid, String phone, String pushName) {
    return new GroupMember(new WaIdentity(lid, phone, pushName), "member");
  }

  @Test
  void participantsLeaveOutTheOwnNumberAndGetPhoneNumbersKnownForTheirLinkedIds() {
    SessionInfo session = session(SessionStatus.WORKING);
    when(sessions.get(TENANT, session.id())).thenReturn(session);
    when(transport.members(session.ref(), GROUP))
        .thenReturn(
            List.of(
                new GroupMember(new WaIdentity(null, OWN_NUMBER, null), "superadmin"),
                member(null, "4915100000901", null),
                member("111111111111111@lid", null, null),
                member("222222222222222@lid", null, "Unknown to us")));
    when(contacts.findAll(eq(session.id().value()), anyList(), anyList()))
        .thenReturn(
            List.of(
                new ContactRepository.Contact(
                    UUID.randomUUID(),
                    TENANT,
                    session.id().value(),
                    null,
                    "4915100000901",
                    "Ana",
                    null,
                    null,
                    Instant.now()),
                new ContactRepository.Contact(
                    UUID.randomUUID(),
                    TENANT,
                    session.id().value(),
                    "111111111111111@lid",
                    "4915100000902",
                    "Ben",
                    null,
                    null,
                    Instant.now())));

    List<Directory.Participant> participants = directory.participants(TENANT, session.id(), GROUP);

    assertThat(participants)
        .containsExactly(
            new Directory.Participant("4915100000901", null, "Ana"),
            new Directory.Participant("4915100000902", "111111111111111@lid", "Ben"),
            new Directory.Participant(null, "222222222222222@lid", "Unknown to us"));
  }

  @Test
  void participantsAreReadOnlyFromAWorkingSession() {
    SessionInfo session = session(SessionStatus.STOPPED);
    when(sessions.get(TENANT, session.id())).thenReturn(session);

    assertThatThrownBy(() -> directory.participants(TENANT, session.id(), GROUP))
        .isInstanceOfSatisfying(
            ApiException.class, e -> assertThat(e.status()).isEqualTo(HttpStatus.CONFLICT))
        .hasMessageContaining("is stopped");
  }

  @Test
  void aGroupWhatsAppDoesNotKnowIsNotFoundAndAnUnreachableWhatsAppIsUnavailable() {
    SessionInfo session = session(SessionStatus.WORKING);
    when(sessions.get(TENANT, session.id())).thenReturn(session);
    when(transport.members(any(), eq(GROUP))).thenThrow(new TransportException("no group", false));

    assertThatThrownBy(() -> directory.participants(TENANT, session.id(), GROUP))
        .isInstanceOfSatisfying(
            ApiException.class, e -> assertThat(e.status()).isEqualTo(HttpStatus.NOT_FOUND));

    ChatId other = new ChatId("120363000000000002@g.us");
    when(transport.members(any(), eq(other))).thenThrow(new TransportException("timeout", true));
    assertThatThrownBy(() -> directory.participants(TENANT, session.id(), other))
        .isInstanceOfSatisfying(
            ApiException.class,
            e -> assertThat(e.status()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE));
  }

  @Test
  void groupsComeFromWorkingSessionsAndFromTheDatabaseWhenWhatsAppDoesNotAnswer() {
    SessionInfo answering = session(SessionStatus.WORKING);
    SessionInfo silent = session(SessionStatus.WORKING);
    SessionInfo stopped = session(SessionStatus.STOPPED);
    when(sessions.list(TENANT)).thenReturn(List.of(answering, silent, stopped));
    when(transport.groups(answering.ref()))
        .thenReturn(List.of(new GroupSummary(GROUP, "Live", null, 12)));
    when(transport.groups(silent.ref())).thenThrow(new TransportException("timeout", true));
    when(groups.list(silent.id().value()))
        .thenReturn(
            List.of(
                new GroupRepository.GroupRow(
                    new ChatId("120363000000000003@g.us"), "Recorded", 4, true),
                new GroupRepository.GroupRow(
                    new ChatId("120363000000000004@g.us"), "Left long ago", 9, false)));

    assertThat(directory.groups(TENANT))
        .containsExactly(
            new Directory.WaGroup(answering.id(), "main", GROUP, "Live", 12),
            new Directory.WaGroup(
                silent.id(), "main", new ChatId("120363000000000003@g.us"), "Recorded", 4));
  }
}
