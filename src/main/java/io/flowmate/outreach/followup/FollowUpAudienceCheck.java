package io.flowmate.outreach.followup;

import io.flowmate.core.ChatId;
import io.flowmate.outreach.audience.Audience;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.springframework.stereotype.Component;

/**
 * The one place that decides whether a contact is in a follow-up rule's audience: when a message to
 * them was sent (should a follow-up start?) and again before each round (are they still?). Today
 * that is membership of the custom group with the filter's field values; the leads issue adds the
 * lead status here.
 */
@Component
class FollowUpAudienceCheck {

  private final Audience audience;

  FollowUpAudienceCheck(Audience audience) {
    this.audience = audience;
  }

  /** The members among these contact chats ({@code <phone>@c.us}), by chat. */
  Map<ChatId, Audience.Member> membersAmong(FollowUpAudience rule, Collection<ChatId> chats) {
    Set<String> phones =
        chats.stream().flatMap(chat -> chat.phoneNumber().stream()).collect(Collectors.toSet());
    Map<ChatId, Audience.Member> members = new HashMap<>();
    audience
        .membersAmong(rule.customGroupId(), rule.fieldsEqual(), phones)
        .forEach(
            member -> ChatId.tryParse(member.phone()).ifPresent(chat -> members.put(chat, member)));
    return members;
  }

  /** The contact as a member of the audience, if they are one. */
  Optional<Audience.Member> member(FollowUpAudience rule, ChatId chat) {
    return Optional.ofNullable(membersAmong(rule, List.of(chat)).get(chat));
  }
}
