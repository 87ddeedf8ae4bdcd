/**
 * Tenants and plans: creating tenants with their first key, their settings and the plans' limits,
 * with the REST API for each. Internal to the admin module; other modules read them through {@link
 * io.flowmate.admin.Tenants}.
 */
package io.flowmate.admin.tenant;
