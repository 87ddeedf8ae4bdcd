package io.flowmate.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;

/** Prints a benchmark's figures and appends them to target/benchmarks.md for the README. */
public final class Benchmarks {

  private Benchmarks() {}

  public static void report(String name, String... lines) {
    StringBuilder text = new StringBuilder("\n=== " + name + " ===\n");
    for (String line : lines) {
      text.append("  ").append(line).append('\n');
    }
    System.out.print(text);
    try {
      Files.createDirectories(Path.of("target"));
      Files.writeString(
          Path.of("target/benchmarks.md"),
          text.toString(),
          StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static String rate(String what, long count, long nanos) {
    return String.format(
        Locale.ROOT,
        "%s: %,d in %.2f s = %,.0f/s",
        what,
        count,
        nanos / 1e9,
        count / (nanos / 1e9));
  }

  public static double perSecond(long count, long nanos) {
    return count / (nanos / 1e9);
  }

  /** Used heap once garbage collection has settled, in bytes. */
  public static long settledHeap() throws InterruptedException {
    long least = Long.MAX_VALUE;
    for (int i = 0; i < 4; i++) {
      System.gc();
      Thread.sleep(250);
      least =
          Math.min(
              least,
              java.lang.management.ManagementFactory.getMemoryMXBean()
                  .getHeapMemoryUsage()
                  .getUsed());
    }
    return least;
  }
}
