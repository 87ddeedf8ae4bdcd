package io.flowmate.outreach.audience;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Adds members to a group a batch at a time, one multi-row statement per batch, and counts what was
 * new and what the group already had (or what came twice). Rows are checked before they get here;
 * the rows that failed are counted with their reasons, the first {@link #MAX_ERRORS} of them kept
 * for the answer so that a file of 100,000 bad rows does not fill the memory.
 */
final class MemberBatches {

  static final int BATCH_SIZE = 1_000;
  static final int MAX_ERRORS = 1_000;

  /**
   * A row that was not added, and why.
   *
   * @param line where the row starts in an imported file (the header is line 1)
   * @param index its position in a JSON array, from 0
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record RowError(Integer line, Integer index, String reason) {}

  /** What adding rows did. */
  record Outcome(
      long added, long skipped, long failed, List<RowError> errors, boolean errorsTruncated) {}

  private final CustomGroupRepository groups;
  private final UUID groupId;
  private final Instant at;
  private final Map<String, NewMember> batch = new LinkedHashMap<>();
  private final List<RowError> errors = new ArrayList<>();
  private long offered;
  private long added;
  private long failed;

  MemberBatches(CustomGroupRepository groups, UUID groupId, Instant at) {
    this.groups = groups;
    this.groupId = groupId;
    this.at = at;
  }

  /** Adds the row (when its batch is written) or records why not. */
  void accept(NewMember.Checked row, Integer line, Integer index) {
    if (row.member() == null) {
      failed(line, index, row.problem());
      return;
    }
    offered++;
    // Within a batch the first of a phone number wins, as the statement would decide.
    batch.putIfAbsent(row.member().phone(), row.member());
    if (batch.size() >= BATCH_SIZE) {
      flush();
    }
  }

  void failed(Integer line, Integer index, String reason) {
    failed++;
    if (errors.size() < MAX_ERRORS) {
      errors.add(new RowError(line, index, reason));
    }
  }

  /** Writes what is left and answers the counts. */
  Outcome finish() {
    flush();
    return new Outcome(added, offered - added, failed, List.copyOf(errors), failed > errors.size());
  }

  private void flush() {
    if (!batch.isEmpty()) {
      added += groups.insertMembers(groupId, List.copyOf(batch.values()), at);
      batch.clear();
    }
  }
}
