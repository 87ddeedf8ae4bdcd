package io.flowmate.gateway.spi;

/** A participant of a group, with its role: {@code member}, {@code admin}, {@code superadmin}. */
public record GroupMember(WaIdentity identity, String role) {}
