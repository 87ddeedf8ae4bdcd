package io.flowmate.core.security;

import io.flowmate.core.TenantId;
import java.util.Set;
import java.util.UUID;

/**
 * Who is calling: the tenant and API key that authenticated the request, and what the key may do.
 * Controllers take it as a method parameter; it is never read from the request body.
 */
public record Caller(TenantId tenantId, UUID apiKeyId, Set<String> scopes, boolean operator) {

  public Caller {
    scopes = Set.copyOf(scopes);
  }

  public boolean has(String scope) {
    return Scopes.grants(scopes, scope);
  }

  /** The request attribute under which the authentication filter stores the caller. */
  public static final String REQUEST_ATTRIBUTE = Caller.class.getName();
}
