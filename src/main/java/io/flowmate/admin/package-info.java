/**
 * Tenants, their plans and limits, their settings, and the API keys that authenticate every call.
 * Lowest business module: others read settings and limits through {@link
 * io.flowmate.admin.Tenants}.
 *
 * <p>The root holds that API (with {@code Plan}, {@code PlanLimits}, {@code TenantSettings}), the
 * module's settings and the first start; {@code tenant} (tenants and plans) and {@code apikey}
 * (keys, authentication, rate limits, stream tickets) are internal.
 */
@org.springframework.modulith.ApplicationModule(allowedDependencies = "core")
package io.flowmate.admin;
