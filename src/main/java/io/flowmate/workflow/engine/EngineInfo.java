package io.flowmate.workflow.engine;

import io.flowmate.workflow.EngineEpoch;
import io.flowmate.workflow.EngineRecycler;
import io.flowmate.workflow.EngineSettings;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.info.Info;
import org.springframework.boot.actuate.info.InfoContributor;
import org.springframework.stereotype.Component;

/**
 * The {@code engine} section of {@code GET /actuator/info}: the mode, the current epoch and, for
 * the embedded engine, its latest recycle (when, why, heap before and after, how long starts
 * paused).
 */
@Component
class EngineInfo implements InfoContributor {

  private static final long MB = 1024 * 1024;

  private final EngineSettings settings;
  private final EngineEpoch epoch;
  private final ObjectProvider<EngineRecycler> recycler;

  EngineInfo(EngineSettings settings, EngineEpoch epoch, ObjectProvider<EngineRecycler> recycler) {
    this.settings = settings;
    this.epoch = epoch;
    this.recycler = recycler;
  }

  @Override
  public void contribute(Info.Builder builder) {
    Map<String, Object> engine = new LinkedHashMap<>();
    engine.put("mode", settings.mode().name().toLowerCase(java.util.Locale.ROOT));
    engine.put("epoch", epoch.value());
    EngineRecycler engineRecycler = recycler.getIfAvailable();
    if (engineRecycler != null) {
      engine.put("recycling", settings.recycle().enabled() ? "enabled" : "disabled");
      engineRecycler
          .lastRecycle()
          .ifPresent(last -> {
            Map<String, Object> recycle = new LinkedHashMap<>();
            recycle.put("at", last.at().toString());
            recycle.put("reason", last.reason());
            recycle.put("heap_before_mb", last.heapBeforeBytes() / MB);
            recycle.put("heap_after_mb", last.heapAfterBytes() / MB);
            recycle.put("starts_paused_ms", last.paused().toMillis());
            recycle.put("took_ms", last.took().toMillis());
            recycle.put("old_log_entries", last.oldLogEntries());
            engine.put("last_recycle", recycle);
          });
    }
    builder.withDetail("engine", engine);
  }
}
