package io.flowmate.admin.apikey;

import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.when;

import io.flowmate.core.security.Caller;
import java.util.Optional;

/**
 * For web slices, whose {@link ApiKeyService} is a mock: makes the real authentication filter
 * accept one raw key as the given caller, and no other key.
 */
public final class TestApiKeys {

  /** Requests per minute for slice callers: never the limit a test runs into. */
  private static final int RATE_LIMIT = 100_000;

  private TestApiKeys() {}

  public static void accept(ApiKeyService keys, String rawKey, Caller caller) {
    when(keys.authenticate(anyString())).thenReturn(Optional.empty());
    when(keys.authenticate(rawKey))
        .thenReturn(Optional.of(new AuthenticatedKey(caller, RATE_LIMIT, null)));
  }

  /** Accepts several keys, each as its caller. */
  public static void accept(ApiKeyService keys, java.util.Map<String, Caller> callers) {
    when(keys.authenticate(anyString())).thenReturn(Optional.empty());
    callers.forEach((rawKey, caller) ->
        when(keys.authenticate(rawKey))
            .thenReturn(Optional.of(new AuthenticatedKey(caller, RATE_LIMIT, null))));
  }
}
