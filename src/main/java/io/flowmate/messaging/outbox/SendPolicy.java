package io.flowmate.messaging.outbox;

import io.flowmate.admin.TenantSettings;
import io.flowmate.core.ChatId;
import io.flowmate.core.TenantId;
import io.flowmate.messaging.MessagingSettings;
import io.flowmate.messaging.chats.ContactRepository;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * Whether a message may go to a chat at all, whatever the timing: the tenant's whitelist, people
 * who opted out, reciprocity (only people who wrote first), and the same text to the same person
 * twice. Checked when a message is accepted (the API answers 403 or 409 with the reason) and again
 * right before it is sent (things change while it waits).
 */
@Component
public class SendPolicy {

  /** Why a message may not be sent; {@code duplicate} answers 409, the others 403. */
  record Refusal(String code, String reason) {
    boolean isDuplicate() {
      return code.equals("duplicate");
    }
  }

  private final ContactRepository contacts;
  private final OptOutRepository optOuts;
  private final SendHistory messages;
  private final MessagingSettings settings;
  private final Clock clock;

  SendPolicy(
      ContactRepository contacts,
      OptOutRepository optOuts,
      SendHistory messages,
      MessagingSettings settings,
      Clock clock) {
    this.contacts = contacts;
    this.optOuts = optOuts;
    this.messages = messages;
    this.settings = settings;
    this.clock = clock;
  }

  Optional<Refusal> check(
      TenantId tenant,
      TenantSettings tenantSettings,
      UUID sessionId,
      ChatId chat,
      byte[] bodyHash) {
    return prepare(tenant, tenantSettings, sessionId, List.of(chat)).check(chat, bodyHash);
  }

  /**
   * Loads what the guards need for a batch of chats of one number in two queries, so that a send
   * lane checks a hundred messages without a hundred round trips.
   */
  Checker prepare(
      TenantId tenant, TenantSettings tenantSettings, UUID sessionId, List<ChatId> chats) {
    List<String> phones = new ArrayList<>();
    List<String> lids = new ArrayList<>();
    for (ChatId chat : chats) {
      chat.phoneNumber().ifPresent(phones::add);
      if (chat.kind() == ChatId.Kind.LID) {
        lids.add(chat.value());
      }
    }
    List<ContactRepository.Contact> known = contacts.findAll(sessionId, lids, phones);
    List<String> addresses = new ArrayList<>(phones);
    addresses.addAll(lids);
    known.forEach(c -> {
      if (c.phone() != null) {
        addresses.add(c.phone());
      }
      if (c.lid() != null) {
        addresses.add(c.lid());
      }
    });
    Set<String> optedOut = optOuts.among(tenant, addresses);
    return new Checker(tenantSettings, sessionId, known, optedOut);
  }

  /** The guards for one number, with what they need already loaded. */
  final class Checker {
    private final TenantSettings tenantSettings;
    private final UUID sessionId;
    private final List<ContactRepository.Contact> known;
    private final Set<String> optedOut;

    private Checker(
        TenantSettings tenantSettings,
        UUID sessionId,
        List<ContactRepository.Contact> known,
        Set<String> optedOut) {
      this.tenantSettings = tenantSettings;
      this.sessionId = sessionId;
      this.known = known;
      this.optedOut = optedOut;
    }

    Optional<Refusal> check(ChatId chat, byte[] bodyHash) {
      boolean person = chat.kind() != ChatId.Kind.GROUP;
      String phone = chat.phoneNumber().orElse(null);
      Optional<ContactRepository.Contact> contact =
          person
              ? known.stream()
                  .filter(c ->
                      (phone != null && phone.equals(c.phone()))
                          || (chat.kind() == ChatId.Kind.LID && chat.value().equals(c.lid())))
                  .findFirst()
              : Optional.empty();
      if (!tenantSettings.allowedNumbers().isEmpty()) {
        String number =
            phone != null ? phone : contact.map(ContactRepository.Contact::phone).orElse(null);
        if (number == null) {
          return refuse(
              "not_allowed",
              "allowed_numbers is set, so only listed phone numbers can be messaged; '%s' is not one"
                  .formatted(chat));
        }
        if (!tenantSettings.allowsNumber(number)) {
          return refuse(
              "not_allowed", "%s is not in this tenant's allowed_numbers".formatted(number));
        }
      }
      if (person) {
        boolean optOut =
            (phone != null && optedOut.contains(phone))
                || optedOut.contains(chat.value())
                || contact
                    .map(c ->
                        (c.phone() != null && optedOut.contains(c.phone()))
                            || (c.lid() != null && optedOut.contains(c.lid())))
                    .orElse(false);
        if (optOut) {
          return refuse(
              "opted_out",
              "%s opted out of messages from this tenant (wrote a stop keyword); lift it with"
                      .formatted(chat)
                  + " DELETE /api/v2/opt-outs/{address} only if they asked you to");
        }
        boolean allowListed = phone != null && tenantSettings.allowedNumbers().contains(phone);
        if (tenantSettings.reciprocityCheck()
            && !allowListed
            && !contact.map(ContactRepository.Contact::wroteFirst).orElse(false)) {
          return refuse(
              "no_reciprocity",
              "%s has not written to this number first, and reciprocity_check is on: wait until they"
                      .formatted(chat)
                  + " write, add the number to allowed_numbers, or turn reciprocity_check off in"
                  + " /api/v2/tenant/settings");
        }
      }
      if (bodyHash != null
          && !settings.governor().duplicateWindow().isZero()
          && messages.sameBodySentSince(
              sessionId,
              chat,
              bodyHash,
              clock.instant().minus(settings.governor().duplicateWindow()))) {
        return refuse("duplicate", duplicateReason(chat.value()));
      }
      return Optional.empty();
    }
  }

  /** Why the duplicate guard refuses a text to the chat. */
  public String duplicateReason(String chat) {
    return "The same text already went (or is about to go) to %s within %s; WhatsApp treats repeats as spam"
        .formatted(chat, humane(settings.governor().duplicateWindow()));
  }

  /** Whether an incoming text is an opt-out keyword ("STOP", "sair", " Parar! "). */
  public Optional<String> optOutKeyword(String text) {
    if (text == null) {
      return Optional.empty();
    }
    String normalised = text.strip().replaceAll("[\\p{Punct}\\s]+$", "").toUpperCase(Locale.ROOT);
    return settings.governor().optOutKeywords().stream()
        .filter(keyword -> keyword.toUpperCase(Locale.ROOT).equals(normalised))
        .findFirst();
  }

  /** Hash of a text for the duplicate guard: case and surrounding space do not make it new. */
  public static byte[] bodyHash(String body) {
    if (body == null || body.isBlank()) {
      return null;
    }
    try {
      return MessageDigest.getInstance("SHA-256")
          .digest(body.strip().toLowerCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Optional<Refusal> refuse(String code, String reason) {
    return Optional.of(new Refusal(code, reason));
  }

  private static String humane(java.time.Duration duration) {
    return duration.toHours() >= 1 ? duration.toHours() + " h" : duration.toMinutes() + " min";
  }
}
