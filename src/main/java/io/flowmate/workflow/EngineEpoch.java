package io.flowmate.workflow;

/**
 * Which engine state process instance keys refer to; see {@link EngineReady}. It changes while the
 * application runs only when the embedded engine is recycled ({@link EngineRecycler}).
 */
public final class EngineEpoch {

  private volatile String value;

  public EngineEpoch(String value) {
    this.value = value;
  }

  public String value() {
    return value;
  }

  /** A fresh engine took over: instance keys of the previous epoch no longer exist. */
  void moveTo(String epoch) {
    this.value = epoch;
  }

  @Override
  public String toString() {
    return value;
  }
}
