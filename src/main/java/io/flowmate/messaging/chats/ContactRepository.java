package io.flowmate.messaging.chats;

import static io.flowmate.core.db.Sql.instant;
import static io.flowmate.core.db.Sql.timestamp;
import static io.flowmate.core.db.Sql.timestampText;
import static io.flowmate.core.db.Sql.uuid;

import io.flowmate.core.Ids;
import io.flowmate.core.TenantId;
import io.flowmate.gateway.spi.WaIdentity;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * People as one number knows them, keyed on the linked id (LID) with the phone number beside it.
 * When both forms of one person are seen together, their two rows (if any) become one.
 */
@Repository
public class ContactRepository {

  public record Contact(
      UUID id,
      TenantId tenantId,
      UUID sessionId,
      String lid,
      String phone,
      String pushName,
      Instant firstInboundAt,
      Instant lastInboundAt,
      Instant createdAt) {

    public boolean wroteFirst() {
      return firstInboundAt != null;
    }
  }

  /** The contact and whether this call created it or learned its second identity form. */
  public record Learned(Contact contact, boolean isNew) {}

  private final JdbcClient jdbc;

  ContactRepository(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /** A person seen by a number: who, and when they wrote (null: only seen, e.g. in a group). */
  public record Sighting(TenantId tenant, UUID sessionId, WaIdentity identity, Instant inboundAt) {}

  /**
   * Records sightings in their order, as if one by one, with a few statements for all of them: each
   * person is one row, found by LID or phone number; when a sighting shows both forms of a person
   * seen earlier under each form separately, their rows become one (the oldest stays). Answers, for
   * each sighting in order, the contact and whether it was new or gained its second form (empty for
   * a sighting without identity).
   */
  public List<Optional<Learned>> learn(List<Sighting> sightings, Instant now) {
    Map<UUID, List<Draft>> known = new HashMap<>();
    sightings.stream()
        .filter(s -> s.identity() != null && !s.identity().isEmpty())
        .collect(
            Collectors.groupingBy(Sighting::sessionId, LinkedHashMap::new, Collectors.toList()))
        .forEach((session, seen) ->
            known.put(
                session,
                findAll(
                        session,
                        seen.stream()
                            .map(s -> s.identity().lid())
                            .filter(Objects::nonNull)
                            .toList(),
                        seen.stream()
                            .map(s -> s.identity().phoneNumber())
                            .filter(Objects::nonNull)
                            .toList())
                    .stream()
                    .map(Draft::stored)
                    .collect(Collectors.toCollection(ArrayList::new))));
    List<UUID> merged = new ArrayList<>();
    List<Optional<Learned>> learned = new ArrayList<>();
    for (Sighting sighting : sightings) {
      WaIdentity identity = sighting.identity();
      if (identity == null || identity.isEmpty()) {
        learned.add(Optional.empty());
        continue;
      }
      List<Draft> drafts = known.get(sighting.sessionId());
      List<Draft> matches =
          drafts.stream()
              .filter(d ->
                  Objects.equals(d.lid, identity.lid()) && d.lid != null
                      || Objects.equals(d.phone, identity.phoneNumber()) && d.phone != null)
              .sorted(OLDEST_FIRST)
              .toList();
      if (matches.isEmpty()) {
        Draft created = Draft.created(sighting, now);
        drafts.add(created);
        learned.add(Optional.of(new Learned(created.contact(), true)));
        continue;
      }
      Draft keep = matches.getFirst();
      boolean secondForm =
          (keep.lid == null && identity.lid() != null)
              || (keep.phone == null && identity.phoneNumber() != null);
      for (Draft duplicate : matches.subList(1, matches.size())) {
        // The same person seen earlier under each form separately: keep one row.
        drafts.remove(duplicate);
        if (duplicate.stored) {
          merged.add(duplicate.id);
        }
      }
      keep.absorb(identity, matches, sighting.inboundAt());
      learned.add(Optional.of(new Learned(keep.contact(), secondForm)));
    }
    List<Draft> all = known.values().stream().flatMap(List::stream).toList();
    write(
        merged,
        all.stream().filter(d -> !d.stored).toList(),
        all.stream().filter(d -> d.stored && d.changed).toList(),
        now);
    return learned;
  }

  /** The older contact wins a merge: who wrote first, else who was seen first. */
  private static final Comparator<Draft> OLDEST_FIRST =
      Comparator.comparing(
              (Draft d) -> d.firstInboundAt, Comparator.nullsLast(Comparator.naturalOrder()))
          .thenComparing(d -> d.createdAt);

  /** Merged rows go first, so that the rows kept may take over their LID or phone number. */
  private void write(List<UUID> merged, List<Draft> created, List<Draft> changed, Instant now) {
    if (!merged.isEmpty()) {
      jdbc.sql("DELETE FROM messaging_contact WHERE id = ANY(:ids)")
          .param("ids", merged.toArray(UUID[]::new))
          .update();
    }
    if (!created.isEmpty()) {
      columns(
              jdbc.sql(
                  """
                  INSERT INTO messaging_contact (id, tenant_id, session_id, lid, phone, push_name,
                    first_inbound_at, last_inbound_at, created_at, updated_at)
                  SELECT id, tenant, session, lid, phone, name, first, last, :now, :now
                  FROM unnest(CAST(:ids AS uuid[]), CAST(:tenants AS uuid[]), CAST(:sessions AS uuid[]),
                    CAST(:lids AS text[]), CAST(:phones AS text[]), CAST(:names AS text[]),
                    CAST(:firsts AS timestamptz[]), CAST(:lasts AS timestamptz[]))
                    AS c(id, tenant, session, lid, phone, name, first, last)
                  """),
              created)
          .param("tenants", created.stream().map(d -> d.tenant.value()).toArray(UUID[]::new))
          .param("sessions", created.stream().map(d -> d.session).toArray(UUID[]::new))
          .param("now", timestamp(now))
          .update();
    }
    if (!changed.isEmpty()) {
      columns(
              jdbc.sql(
                  """
                  UPDATE messaging_contact SET lid = c.lid, phone = c.phone, push_name = c.name,
                    first_inbound_at = c.first, last_inbound_at = c.last, updated_at = :now
                  FROM unnest(CAST(:ids AS uuid[]), CAST(:lids AS text[]), CAST(:phones AS text[]),
                    CAST(:names AS text[]), CAST(:firsts AS timestamptz[]), CAST(:lasts AS timestamptz[]))
                    AS c(id, lid, phone, name, first, last)
                  WHERE messaging_contact.id = c.id
                  """),
              changed)
          .param("now", timestamp(now))
          .update();
    }
  }

  /** The drafts' own columns as arrays for {@code unnest}, one row per draft. */
  private static JdbcClient.StatementSpec columns(
      JdbcClient.StatementSpec statement, List<Draft> drafts) {
    return statement
        .param("ids", drafts.stream().map(d -> d.id).toArray(UUID[]::new))
        .param("lids", drafts.stream().map(d -> d.lid).toArray(String[]::new))
        .param("phones", drafts.stream().map(d -> d.phone).toArray(String[]::new))
        .param("names", drafts.stream().map(d -> d.pushName).toArray(String[]::new))
        .param(
            "firsts",
            drafts.stream().map(d -> timestampText(d.firstInboundAt)).toArray(String[]::new))
        .param(
            "lasts",
            drafts.stream().map(d -> timestampText(d.lastInboundAt)).toArray(String[]::new));
  }

  /** A contact being learned: read from the table or new, changed in memory, written once. */
  private static final class Draft {
    final UUID id;
    final TenantId tenant;
    final UUID session;
    final Instant createdAt;
    final boolean stored;
    String lid;
    String phone;
    String pushName;
    Instant firstInboundAt;
    Instant lastInboundAt;
    boolean changed;

    private Draft(Contact c, Instant createdAt, boolean stored) {
      this.id = c.id();
      this.tenant = c.tenantId();
      this.session = c.sessionId();
      this.lid = c.lid();
      this.phone = c.phone();
      this.pushName = c.pushName();
      this.firstInboundAt = c.firstInboundAt();
      this.lastInboundAt = c.lastInboundAt();
      this.createdAt = createdAt;
      this.stored = stored;
    }

    static Draft stored(Contact contact) {
      return new Draft(contact, contact.createdAt(), true);
    }

    static Draft created(Sighting s, Instant now) {
      WaIdentity who = s.identity();
      return new Draft(
          new Contact(
              Ids.newId(),
              s.tenant(),
              s.sessionId(),
              who.lid(),
              who.phoneNumber(),
              who.pushName(),
              s.inboundAt(),
              s.inboundAt(),
              now),
          now,
          false);
    }

    /**
     * What this sighting adds: both identity forms, the latest name, the first and last time they
     * wrote.
     */
    void absorb(WaIdentity identity, List<Draft> matches, Instant inboundAt) {
      lid = firstNonNull(identity.lid(), matches.stream().map(d -> d.lid));
      phone = firstNonNull(identity.phoneNumber(), matches.stream().map(d -> d.phone));
      pushName = identity.pushName() != null ? identity.pushName() : pushName;
      for (Draft match : matches) {
        firstInboundAt = earlier(firstInboundAt, match.firstInboundAt);
      }
      firstInboundAt = earlier(firstInboundAt, inboundAt);
      lastInboundAt =
          lastInboundAt == null || inboundAt != null && inboundAt.isAfter(lastInboundAt)
              ? inboundAt
              : lastInboundAt;
      changed = true;
    }

    Contact contact() {
      return new Contact(
          id, tenant, session, lid, phone, pushName, firstInboundAt, lastInboundAt, createdAt);
    }

    private static String firstNonNull(String preferred, java.util.stream.Stream<String> others) {
      return preferred != null
          ? preferred
          : others.filter(Objects::nonNull).findFirst().orElse(null);
    }

    private static Instant earlier(Instant a, Instant b) {
      return a == null ? b : b == null ? a : a.isBefore(b) ? a : b;
    }
  }

  /** The contact behind a phone number or LID, if the number ever saw them. */
  public Optional<Contact> find(UUID sessionId, String lid, String phone) {
    List<Contact> matches =
        findAll(
            sessionId,
            lid == null ? List.of() : List.of(lid),
            phone == null ? List.of() : List.of(phone));
    return matches.isEmpty() ? Optional.empty() : Optional.of(matches.getFirst());
  }

  /** The contacts behind any of these LIDs or phone numbers. */
  public List<Contact> findAll(UUID sessionId, List<String> lids, List<String> phones) {
    if (lids.isEmpty() && phones.isEmpty()) {
      return List.of();
    }
    return jdbc.sql(
            """
            SELECT * FROM messaging_contact
            WHERE session_id = :session AND (lid = ANY(:lids) OR phone = ANY(:phones))
            ORDER BY first_inbound_at NULLS LAST, created_at
            """)
        .param("session", sessionId)
        .param("lids", lids.toArray(String[]::new))
        .param("phones", phones.toArray(String[]::new))
        .query(ContactRepository::map)
        .list();
  }

  /** A person with a phone number, merged across the tenant's numbers: the latest LID and name. */
  public record KnownPerson(
      String phone, String lid, String name, List<UUID> sessionIds, Instant lastInboundAt) {}

  /**
   * Every phone number any of the tenant's numbers has seen, in phone order; LID-only people are
   * left out.
   */
  public List<KnownPerson> people(TenantId tenant, int limit, int offset) {
    return jdbc.sql(
            """
            SELECT phone,
              (array_agg(lid ORDER BY updated_at DESC) FILTER (WHERE lid IS NOT NULL))[1] AS lid,
              (array_agg(push_name ORDER BY updated_at DESC) FILTER (WHERE push_name IS NOT NULL))[1] AS name,
              array_agg(DISTINCT session_id) AS session_ids,
              max(last_inbound_at) AS last_inbound_at
            FROM messaging_contact
            WHERE tenant_id = :tenant AND phone IS NOT NULL
            GROUP BY phone ORDER BY phone LIMIT :limit OFFSET :offset
            """)
        .param("tenant", tenant.value())
        .param("limit", limit)
        .param("offset", offset)
        .query((rs, row) ->
            new KnownPerson(
                rs.getString("phone"),
                rs.getString("lid"),
                rs.getString("name"),
                List.of((UUID[]) rs.getArray("session_ids").getArray()),
                instant(rs, "last_inbound_at")))
        .list();
  }

  public long countPeople(TenantId tenant) {
    return jdbc.sql(
            "SELECT count(DISTINCT phone) FROM messaging_contact WHERE tenant_id = :tenant AND phone IS NOT NULL")
        .param("tenant", tenant.value())
        .query(Long.class)
        .single();
  }

  private static Contact map(ResultSet rs, int row) throws SQLException {
    return new Contact(
        uuid(rs, "id"),
        TenantId.of(uuid(rs, "tenant_id")),
        uuid(rs, "session_id"),
        rs.getString("lid"),
        rs.getString("phone"),
        rs.getString("push_name"),
        instant(rs, "first_inbound_at"),
        instant(rs, "last_inbound_at"),
        instant(rs, "created_at"));
  }
}
