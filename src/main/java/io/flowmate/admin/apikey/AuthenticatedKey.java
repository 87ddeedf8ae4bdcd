package io.flowmate.admin.apikey;

import io.flowmate.core.security.Caller;
import java.time.Instant;

/** The outcome of a successful key lookup, with what the filters after it need. */
record AuthenticatedKey(Caller caller, int apiRequestsPerMinute, Instant lastUsedAt) {

  static final String REQUEST_ATTRIBUTE = AuthenticatedKey.class.getName();
}
