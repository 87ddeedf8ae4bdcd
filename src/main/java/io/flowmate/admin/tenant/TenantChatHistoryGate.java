package io.flowmate.admin.tenant;

import io.flowmate.admin.Tenants;
import io.flowmate.core.TenantId;
import io.flowmate.core.sse.ChatHistoryGate;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;

/**
 * Answers live event streams from the tenant's {@code chat_history_access_enabled} setting. Asked
 * for every received message on every open stream, so the answer is kept briefly; a change of the
 * setting here takes effect at once.
 */
@Component
class TenantChatHistoryGate implements ChatHistoryGate {

  private static final Duration KEEP = Duration.ofSeconds(10);

  private record Answer(boolean enabled, long atNanos) {}

  private final Map<TenantId, Answer> answers = new ConcurrentHashMap<>();
  private final Tenants tenants;

  TenantChatHistoryGate(Tenants tenants) {
    this.tenants = tenants;
  }

  @Override
  public boolean chatHistoryAccessEnabled(TenantId tenant) {
    long now = System.nanoTime();
    Answer answer = answers.get(tenant);
    if (answer == null || now - answer.atNanos() > KEEP.toNanos()) {
      answer = new Answer(tenants.settings(tenant).chatHistoryAccessEnabled(), now);
      answers.put(tenant, answer);
    }
    return answer.enabled();
  }

  /** The tenant's settings changed. */
  void forget(TenantId tenant) {
    answers.remove(tenant);
  }
}
