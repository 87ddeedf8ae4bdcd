package io.flowmate.outreach.audience;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.flowmate.core.TenantId;
import io.flowmate.core.api.ApiException;
import io.flowmate.outreach.audience.CustomGroupRepository.Member;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.time.Clock;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Members in and out of a group as files, streamed both ways: imports read and insert a batch at a
 * time, exports read a page at a time, so that a 100,000-member list is never held in memory.
 *
 * <p>An import keeps its good rows and reports the bad ones by line; a file that cannot be read at
 * all (no phone column, broken JSON, too large) imports nothing, as it runs in one transaction.
 */
@Service
class MemberFiles {

  static final int EXPORT_PAGE = 1_000;

  private final CustomGroupRepository groups;
  private final ObjectMapper json;
  private final TransactionTemplate snapshot;
  private final Clock clock;

  MemberFiles(
      CustomGroupRepository groups,
      ObjectMapper json,
      PlatformTransactionManager transactions,
      Clock clock) {
    this.groups = groups;
    this.json = json;
    this.clock = clock;
    // One consistent view of the group for the whole export: the columns and the rows agree.
    this.snapshot = new TransactionTemplate(transactions);
    snapshot.setReadOnly(true);
    snapshot.setIsolationLevel(TransactionDefinition.ISOLATION_REPEATABLE_READ);
  }

  /** What an import did, and how many members the group has afterwards. */
  record Imported(MemberBatches.Outcome outcome, long memberCount) {}

  /**
   * Imports a CSV file whose header names the columns: phone, name and custom fields. A body that
   * breaks off (too large, connection lost) rolls back what was read of it.
   */
  @Transactional(rollbackFor = IOException.class)
  Imported importCsv(TenantId tenant, UUID groupId, Reader csv) throws IOException {
    lockForMembers(tenant, groupId);
    MemberCsv.RowReader rows = new MemberCsv.RowReader(csv);
    MemberCsv.Header header = MemberCsv.Header.of(rows.next());
    MemberBatches batches = new MemberBatches(groups, groupId, clock.instant());
    for (MemberCsv.Row row = rows.next(); row != null; row = rows.next()) {
      batches.accept(header.member(row), row.line(), null);
    }
    return new Imported(batches.finish(), groups.memberCount(groupId));
  }

  /**
   * Imports a JSON array of {@code {phone, name?, fields?}}; rolled back like {@link #importCsv}.
   */
  @Transactional(rollbackFor = IOException.class)
  Imported importJson(TenantId tenant, UUID groupId, InputStream body) throws IOException {
    lockForMembers(tenant, groupId);
    MemberBatches batches = new MemberBatches(groups, groupId, clock.instant());
    try (JsonParser parser = json.getFactory().createParser(body)) {
      JsonToken first = parser.nextToken();
      if (first != JsonToken.START_ARRAY) {
        throw ApiException.invalid(
            first == null
                ? "The body is empty: send a JSON array of {phone, name, fields}"
                : "The body must be a JSON array of {phone, name, fields}, not a single value or object");
      }
      int index = 0;
      for (JsonToken token = parser.nextToken();
          token != JsonToken.END_ARRAY;
          token = parser.nextToken()) {
        if (token == null) {
          throw new ApiException(
              HttpStatus.BAD_REQUEST,
              "The JSON array is not closed: the body ends before its ']'; nothing was imported");
        }
        int line = parser.currentTokenLocation().getLineNr();
        JsonNode element = json.readTree(parser);
        batches.accept(member(element), line, index++);
      }
    } catch (JsonProcessingException e) {
      String where =
          e.getLocation() == null
              ? ""
              : " at line %d, column %d"
                  .formatted(e.getLocation().getLineNr(), e.getLocation().getColumnNr());
      throw new ApiException(
          HttpStatus.BAD_REQUEST,
          "Malformed JSON%s: %s; nothing was imported".formatted(where, e.getOriginalMessage()));
    }
    return new Imported(batches.finish(), groups.memberCount(groupId));
  }

  /** One element of an imported JSON array; numbers and booleans are taken as their text. */
  static NewMember.Checked member(JsonNode element) {
    if (!element.isObject()) {
      return NewMember.Checked.refused(
          "the entry is not an object such as {\"phone\": \"4915123456789\", \"name\": \"Anna\"}");
    }
    JsonNode phone = element.path("phone");
    if (!phone.isMissingNode()
        && !phone.isNull()
        && !phone.isTextual()
        && !phone.isIntegralNumber()) {
      return NewMember.Checked.refused("phone must be text such as \"4915123456789\"");
    }
    JsonNode name = element.path("name");
    if (!name.isMissingNode() && !name.isNull() && !name.isValueNode()) {
      return NewMember.Checked.refused("name must be text");
    }
    JsonNode fieldsNode = element.path("fields");
    Map<String, String> fields = new HashMap<>();
    if (!fieldsNode.isMissingNode() && !fieldsNode.isNull()) {
      if (!fieldsNode.isObject()) {
        return NewMember.Checked.refused(
            "fields must be an object of texts such as {\"city\": \"Porto\"}");
      }
      for (Iterator<Map.Entry<String, JsonNode>> it = fieldsNode.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> field = it.next();
        if (field.getValue().isNull()) {
          continue;
        }
        if (!field.getValue().isValueNode()) {
          return NewMember.Checked.refused(
              "custom field '%s' must be text, not an object or a list".formatted(field.getKey()));
        }
        fields.put(field.getKey(), field.getValue().asText());
      }
    }
    return NewMember.check(
        phone.isMissingNode() || phone.isNull() ? null : phone.asText(),
        name.isMissingNode() || name.isNull() ? null : name.asText(),
        fields);
  }

  /** Writes the members as CSV: phone, name, then one column per custom field any member has. */
  void exportCsv(UUID groupId, Writer out) {
    snapshot.executeWithoutResult(status -> {
      try {
        MemberCsv.RowWriter csv = new MemberCsv.RowWriter(out, groups.fieldNames(groupId));
        forEachMember(
            groupId, member -> csv.member(member.phone(), member.name(), member.fields()));
        out.flush();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
  }

  /**
   * Writes the members as a JSON array of {@code {phone, name, fields}}, which imports back as it
   * is.
   */
  void exportJson(UUID groupId, OutputStream out) {
    snapshot.executeWithoutResult(status -> {
      try (JsonGenerator generator = json.getFactory().createGenerator(out)) {
        generator.writeStartArray();
        forEachMember(
            groupId,
            member -> {
              generator.writeStartObject();
              generator.writeStringField("phone", member.phone());
              generator.writeStringField("name", member.name());
              generator.writeObjectFieldStart("fields");
              for (Map.Entry<String, String> field : member.fields().entrySet()) {
                generator.writeStringField(field.getKey(), field.getValue());
              }
              generator.writeEndObject();
              generator.writeEndObject();
            });
        generator.writeEndArray();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
  }

  private interface MemberSink {
    void accept(Member member) throws IOException;
  }

  /** Every member in the order they joined, read a page at a time. */
  private void forEachMember(UUID groupId, MemberSink sink) throws IOException {
    UUID after = null;
    while (true) {
      List<Member> page = groups.membersAfter(groupId, after, EXPORT_PAGE);
      for (Member member : page) {
        sink.accept(member);
      }
      if (page.size() < EXPORT_PAGE) {
        return;
      }
      after = page.getLast().id();
    }
  }

  private void lockForMembers(TenantId tenant, UUID groupId) {
    if (!groups.lockForMembers(tenant, groupId)) {
      throw ApiException.notFound("Custom group", groupId);
    }
  }
}
