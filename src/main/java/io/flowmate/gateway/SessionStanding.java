package io.flowmate.gateway;

import java.time.Instant;

/**
 * A session with how long it has been in its status, for reports and the account health report.
 *
 * @param statusSince when the session entered its current status (a working session has been up
 *     since then)
 * @param shouldRun whether the user asked for it to run (started and not stopped since)
 * @param failureReason why it failed, while {@code failed}
 */
public record SessionStanding(
    SessionInfo session, Instant statusSince, boolean shouldRun, String failureReason) {}
