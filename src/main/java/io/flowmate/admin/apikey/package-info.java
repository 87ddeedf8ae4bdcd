/**
 * API keys: issuing, scoping and revoking them, the filters that authenticate and rate-limit every
 * call, and the short-lived tickets that stand in for a key on event streams. Internal to the admin
 * module.
 */
package io.flowmate.admin.apikey;
