package io.flowmate.core.api;

import java.util.List;
import java.util.function.Function;

/** One page of a list: the items, the total count, and the window that produced it. */
public record Page<T>(List<T> items, long total, int limit, int offset, boolean hasMore) {

  public static <T> Page<T> of(List<T> items, long total, PageQuery query) {
    return new Page<>(
        List.copyOf(items),
        total,
        query.limit(),
        query.offset(),
        query.offset() + items.size() < total);
  }

  public <R> Page<R> map(Function<T, R> mapper) {
    return new Page<>(items.stream().map(mapper).toList(), total, limit, offset, hasMore);
  }
}
