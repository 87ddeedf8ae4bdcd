/**
 * The read-only account health report behind the onboarding endpoint, written from the same figures
 * and sections as the reports. Internal to the analytics module.
 */
package io.flowmate.analytics.health;
