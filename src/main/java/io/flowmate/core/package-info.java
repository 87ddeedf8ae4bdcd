/**
 * Shared kernel: typed ids, chat ids, API errors (RFC 9457), paging, the authenticated caller and
 * its scopes, JSON and web conventions, and the embedded PostgreSQL used by the zero-set-up run.
 * Every module may use it; it owns no tables and depends on no module.
 */
@org.springframework.modulith.ApplicationModule(
    type = org.springframework.modulith.ApplicationModule.Type.OPEN)
package io.flowmate.core;
