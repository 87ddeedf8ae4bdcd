package io.flowmate.core.sse;

import io.flowmate.core.TenantId;

/**
 * Whether a tenant opted in to reading chat history ({@code chat_history_access_enabled}): what
 * contacts wrote streams only then. The module that owns tenant settings answers it.
 */
public interface ChatHistoryGate {

  boolean chatHistoryAccessEnabled(TenantId tenant);
}
