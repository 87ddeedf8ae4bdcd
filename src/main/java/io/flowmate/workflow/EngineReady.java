package io.flowmate.workflow;

/**
 * Published after Flowmate's processes are deployed to an engine: once per application start, and
 * again each time the embedded engine is recycled ({@link EngineRecycler}). Modules listen to it to
 * re-create the process instances their business objects need: every object whose recorded epoch
 * differs from {@code epoch} has no live instance (the embedded engine starts empty; a remote
 * cluster keeps its epoch, so nothing is re-created there).
 */
public record EngineReady(String epoch) {}
