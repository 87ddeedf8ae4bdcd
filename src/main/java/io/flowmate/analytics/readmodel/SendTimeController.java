package io.flowmate.analytics.readmodel;

import io.flowmate.analytics.AnalyticsSettings;
import io.flowmate.core.TenantId;
import io.flowmate.core.api.ApiException;
import io.flowmate.core.security.Caller;
import io.flowmate.core.security.RequiresScope;
import io.flowmate.core.security.Scopes;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import java.util.UUID;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Best send time (Flowmate's own; MoltFlow mentions a "send time optimization heatmap" without a
 * path): the hours of the week, in the tenant's time zone, whose messages were read quickly and
 * replied to most ({@link SendTimeSlots}), for the tenant or one contact.
 */
@RestController
@RequestMapping("/api/v2/analytics")
@Tag(name = "Analytics", description = "Campaign funnels, contact engagement and best send times")
class SendTimeController {

  private static final int MAX_SLOTS = SendTimeSlots.HOURS_PER_WEEK;

  private final SendTimeRepository slots;
  private final ContactEngagementRepository contacts;
  private final AnalyticsTimeZones zones;
  private final AnalyticsSettings.ReadModels settings;

  SendTimeController(
      SendTimeRepository slots,
      ContactEngagementRepository contacts,
      AnalyticsTimeZones zones,
      AnalyticsSettings settings) {
    this.slots = slots;
    this.contacts = contacts;
    this.zones = zones;
    this.settings = settings.readModels();
  }

  record SlotView(
      String dayOfWeek,
      int hour,
      int hourOfWeek,
      long sent,
      long read,
      long readQuickly,
      long replied,
      double readRate,
      double readQuicklyRate,
      double replyRate,
      double score) {

    static SlotView of(SendTimeSlots.Slot slot) {
      return new SlotView(
          slot.dayOfWeek(),
          slot.hour(),
          slot.hourOfWeek(),
          slot.sent(),
          slot.read(),
          slot.readQuickly(),
          slot.replied(),
          slot.readRate(),
          slot.readQuicklyRate(),
          slot.replyRate(),
          slot.score());
    }
  }

  /**
   * @param basis whose messages the slots come from: {@code tenant} or {@code contact}
   * @param fallback a contact was asked for, but there is not enough data about them: the tenant's
   *     slots are given, {@code fallback_reason} says why
   * @param messagesAnalysed messages sent in the basis's counted hours
   * @param contactMessages messages sent to the contact asked for
   */
  record SendTimeView(
      String timezone,
      String basis,
      String chatId,
      boolean fallback,
      String fallbackReason,
      long messagesAnalysed,
      Long contactMessages,
      int minMessagesPerSlot,
      int minContactMessages,
      String quickRead,
      List<SlotView> bestSlots) {}

  @GetMapping("/send-time")
  @RequiresScope(Scopes.MESSAGES_READ)
  @Operation(
      summary = "The best hours of the week to send, for the tenant or one contact",
      description =
          "Hours of the week (Monday 00:00 = hour_of_week 0) in the tenant's time zone, from what happened to"
              + " the messages sent in each: score = (read-quickly rate + 2 × reply rate) / 3. Only hours with at"
              + " least min_messages_per_slot messages are ranked. chat_id (or a phone number) or contact_id asks"
              + " for one contact: their own hours once min_contact_messages were sent to them and one hour has"
              + " enough, else the tenant's with fallback=true and the reason. limit: slots returned (1-168,"
              + " default 5).")
  SendTimeView sendTime(
      Caller caller,
      @RequestParam(name = "chat_id", required = false) String chatId,
      @RequestParam(name = "contact_id", required = false) UUID contactId,
      @RequestParam(required = false) Integer limit) {
    int count = limit == null ? 5 : limit;
    if (count < 1 || count > MAX_SLOTS) {
      throw ApiException.invalid(
          "limit must be between 1 and %d, got %d".formatted(MAX_SLOTS, count));
    }
    if (chatId != null && contactId != null) {
      throw ApiException.invalid("give chat_id or contact_id, not both");
    }
    TenantId tenant = caller.tenantId();
    String timezone = zones.current(tenant).getId();
    List<SendTimeSlots.Counts> tenantSlots = slots.slots(tenant, AnalyticsDeltas.WHOLE_TENANT);
    String contact = contact(tenant, chatId, contactId);
    if (contact == null) {
      return new SendTimeView(
          timezone,
          "tenant",
          null,
          false,
          null,
          SendTimeSlots.sent(tenantSlots),
          null,
          settings.minSlotSamples(),
          settings.minContactMessages(),
          settings.quickRead().toString(),
          views(SendTimeSlots.best(tenantSlots, settings.minSlotSamples(), count)));
    }
    List<SendTimeSlots.Counts> contactSlots = slots.slots(tenant, contact);
    SendTimeSlots.Advice advice =
        SendTimeSlots.advise(
            contactSlots,
            tenantSlots,
            settings.minContactMessages(),
            settings.minSlotSamples(),
            count);
    return new SendTimeView(
        timezone,
        advice.basis(),
        contact,
        advice.fallback(),
        advice.fallbackReason(),
        SendTimeSlots.sent(advice.fallback() ? tenantSlots : contactSlots),
        SendTimeSlots.sent(contactSlots),
        settings.minSlotSamples(),
        settings.minContactMessages(),
        settings.quickRead().toString(),
        views(advice.slots()));
  }

  /** The contact asked for, as the read models name them; null for the whole tenant. */
  private String contact(TenantId tenant, String chatId, UUID contactId) {
    if (contactId != null) {
      return contacts
          .keyOf(tenant, contactId)
          .orElseThrow(() -> ApiException.notFound("Contact", contactId));
    }
    if (chatId == null || chatId.isBlank()) {
      return null;
    }
    return AnalyticsContactKeys.parse(chatId)
        .orElseThrow(() ->
            ApiException.invalid(
                "chat_id '%s' is not a person's chat: use <phone>@c.us, a phone number or <n>@lid"
                    .formatted(chatId)));
  }

  private static List<SlotView> views(List<SendTimeSlots.Slot> slots) {
    return slots.stream().map(SlotView::of).toList();
  }
}
