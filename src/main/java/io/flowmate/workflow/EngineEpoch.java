package io.flowmate.workflow;

/** Which engine state process instance keys refer to; see {@link EngineReady}. */
public record EngineEpoch(String value) {}
