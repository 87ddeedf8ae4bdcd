package io.flowmate.core.api;

/**
 * The {@code limit}/{@code offset} window of a list request. Out-of-range values are a client error
 * (422) rather than silently clamped, so a client never believes it saw everything when it did not.
 */
public record PageQuery(int limit, int offset) {

  public static final int DEFAULT_LIMIT = 50;
  public static final int MAX_LIMIT = 100;

  public PageQuery {
    if (limit < 1 || limit > MAX_LIMIT) {
      throw ApiException.invalid(
          "limit must be between 1 and %d, got %d".formatted(MAX_LIMIT, limit));
    }
    if (offset < 0) {
      throw ApiException.invalid("offset must be 0 or more, got %d".formatted(offset));
    }
  }

  public static PageQuery of(Integer limit, Integer offset) {
    return new PageQuery(limit == null ? DEFAULT_LIMIT : limit, offset == null ? 0 : offset);
  }
}
