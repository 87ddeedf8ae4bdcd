/**
 * Tenants, their plans and limits, their settings, and the API keys that authenticate every call.
 * Lowest business module: others read settings and limits through {@link io.flowmate.admin.Tenants}.
 */
@org.springframework.modulith.ApplicationModule(allowedDependencies = "core")
package io.flowmate.admin;
