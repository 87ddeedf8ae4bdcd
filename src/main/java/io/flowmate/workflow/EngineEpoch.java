package io.flowmate.workflow;

import java.util.Objects;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * Which engine state process instance keys refer to; see {@link EngineReady}. It is the engine's
 * own identity ({@code engine:<uuid>}), stored in the engine and read from it over gRPC, so every
 * Flowmate instance connected to one engine has the same epoch whatever address it uses, and a
 * fresh engine (the embedded one after every start, a wiped cluster) has a new one.
 *
 * <p>Read from the engine on first use and then kept: the engine's identity does not change while
 * it runs. A read that fails (engine unreachable) is tried again on the next use.
 */
public final class EngineEpoch {

  private static final Pattern IDENTITY = Pattern.compile("engine:[0-9a-f-]{36}");

  /**
   * The engine's identity as read.
   *
   * @param value the epoch, {@code engine:<uuid>}
   * @param freshEngine whether the engine is known to hold nothing started before this Flowmate
   *     instance started: the embedded engine, started empty in this JVM
   */
  public record Identity(String value, boolean freshEngine) {}

  private final Supplier<Identity> read;
  private volatile Identity identity;

  public EngineEpoch(Supplier<Identity> read) {
    this.read = read;
  }

  /**
   * A fresh engine took over (the embedded engine was recycled): its identity is read from it on
   * the next use, and instance keys of the previous epoch no longer exist.
   */
  void forget() {
    synchronized (this) {
      identity = null;
    }
  }

  /** The current engine's epoch; reads it from the engine the first time. */
  public String value() {
    return identity().value();
  }

  private Identity identity() {
    Identity known = identity;
    if (known != null) {
      return known;
    }
    synchronized (this) {
      if (identity == null) {
        identity = Objects.requireNonNull(read.get());
      }
      return identity;
    }
  }

  /** Whether the epoch has the shape of an engine identity. */
  public static boolean isIdentity(String epoch) {
    return epoch != null && IDENTITY.matcher(epoch).matches();
  }

  /**
   * Whether an instance recorded under {@code epoch} may still be alive on the current engine, so
   * that re-creating it must first cancel it. Never for another engine's identity (its keys mean
   * nothing here: a new engine hands out the same keys again), nor for an in-memory engine of an
   * earlier start ({@code embedded:...}), nor on an engine that started empty in this JVM. Other
   * epochs recorded before engines had identities ({@code remote:<address>}, a configured one) may
   * name this very cluster: their instances may be alive.
   */
  public boolean mayHoldInstancesOf(String epoch) {
    if (epoch == null) {
      return false;
    }
    Identity current = identity();
    if (epoch.equals(current.value())) {
      return true;
    }
    return !current.freshEngine() && !isIdentity(epoch) && !epoch.startsWith("embedded:");
  }
}
