package io.flowmate.outreach.campaign;

/**
 * Names shared by {@code bpmn/outreach-campaign.bpmn}, its workers, its starter and its tests.
 * Renaming an element in Camunda Modeler without changing it here breaks the build, not production.
 *
 * <p>Variables (ids and counts only): {@code tenantId}, {@code campaignId}, {@code
 * requireApproval}, {@code approvalId}, {@code approvalExpiresAt}, {@code campaignValid}, {@code
 * audienceSize}, {@code allPlanned}; for the Tasklist form {@code campaignName} and {@code
 * sampleMessage} (the template, before personalisation).
 */
final class CampaignProcess {

  static final String PROCESS_ID = "outreach-campaign";
  static final String FORM_ID = "outreach-campaign-approval-form";

  static final String VALIDATE_JOB = "flowmate.outreach.validate-campaign";
  static final String START_JOB = "flowmate.outreach.start-campaign";
  static final String PLAN_JOB = "flowmate.outreach.plan-campaign-batch";
  static final String COMPLETE_JOB = "flowmate.outreach.complete-campaign";
  static final String PAUSE_JOB = "flowmate.outreach.pause-campaign";
  static final String RESUME_JOB = "flowmate.outreach.resume-campaign";
  static final String CANCEL_JOB = "flowmate.outreach.cancel-campaign";

  static final String SETTLED_MESSAGE = "outreach.campaign-settled";
  static final String PAUSED_MESSAGE = "outreach.campaign-paused";
  static final String RESUMED_MESSAGE = "outreach.campaign-resumed";
  static final String CANCELLED_MESSAGE = "outreach.campaign-cancelled";

  static final String START_EVENT = "CampaignCreated";
  static final String VALIDATE_TASK = "ValidateCampaign";
  static final String APPROVE_TASK = "ApproveCampaign";
  static final String EXPIRY_TIMER = "ApprovalExpired";
  static final String DECISION_GATEWAY = "IsApproved";
  static final String REJECTED_END = "CampaignRejected";
  static final String FAILED_END = "CampaignFailed";
  static final String START_TASK = "StartCampaign";
  static final String PLAN_GATEWAY = "PlanNextBatch";
  static final String PLAN_TASK = "PlanRecipients";
  static final String SETTLED_EVENT = "AllMessagesSettled";
  static final String COMPLETED_END = "CampaignCompleted";
  static final String HOLD_TASK = "HoldMessages";
  static final String RELEASE_TASK = "ReleaseMessages";
  static final String PAUSE_ENDED = "PauseEnded";
  static final String CANCEL_TASK = "CancelCampaign";
  static final String CANCELLED_END = "CampaignCancelledEnd";

  static final String TENANT_ID = "tenantId";
  static final String CAMPAIGN_ID = "campaignId";
  static final String REQUIRE_APPROVAL = "requireApproval";
  static final String VALID = "campaignValid";
  static final String AUDIENCE_SIZE = "audienceSize";
  static final String ALL_PLANNED = "allPlanned";
  static final String CAMPAIGN_NAME = "campaignName";
  static final String SAMPLE_MESSAGE = "sampleMessage";

  /** The approval kind this process asks for. */
  static final String APPROVAL_KIND = "campaign";

  private CampaignProcess() {}
}
