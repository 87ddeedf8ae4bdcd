package io.flowmate.messaging;

import io.flowmate.core.ChatId;
import io.flowmate.core.SessionId;
import io.flowmate.core.TenantId;
import io.flowmate.messaging.labels.LabelRepository;
import io.flowmate.messaging.labels.LabelService;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.springframework.stereotype.Service;

/**
 * What other modules may do with the tenant's labels: check that a label exists, and put one on a
 * chat (kept with the chat's other labels, and on WhatsApp too for labels synced to the number, as
 * {@code PUT /labels/chat/{chat_id}} does).
 */
@Service
public class ChatLabels {

  private final LabelService labels;
  private final LabelRepository repository;

  ChatLabels(LabelService labels, LabelRepository repository) {
    this.labels = labels;
    this.repository = repository;
  }

  public boolean exists(TenantId tenant, UUID labelId) {
    return repository.find(tenant, labelId).isPresent();
  }

  /**
   * Adds the label to the chat's labels; nothing if the chat has it already.
   *
   * @throws io.flowmate.core.api.ApiException if the label or the session is not the tenant's, or
   *     WhatsApp refused the change
   */
  public void add(TenantId tenant, SessionId sessionId, ChatId chat, UUID labelId) {
    List<UUID> current = new ArrayList<>(repository.labelsOfChat(sessionId.value(), chat));
    if (current.contains(labelId)) {
      return;
    }
    current.add(labelId);
    labels.setChatLabels(tenant, sessionId.value(), chat, current);
  }
}
