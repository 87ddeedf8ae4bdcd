package io.flowmate.outreach.followup;

import java.util.Map;
import java.util.UUID;

/**
 * Whom a follow-up rule follows up: the members of a custom group whose custom fields have the
 * given values. {@link FollowUpAudienceCheck} is the one place that applies it; when leads exist, a
 * lead status joins here.
 *
 * @param fieldsEqual custom-field values a member must have; empty for every member
 */
record FollowUpAudience(UUID customGroupId, Map<String, String> fieldsEqual) {

  FollowUpAudience {
    fieldsEqual = fieldsEqual == null ? Map.of() : Map.copyOf(fieldsEqual);
  }
}
