package io.flowmate.leads;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.springframework.stereotype.Component;

/** Which groups detection watches, held in memory and replaced as a whole on every change. */
@Component
class GroupWatch {

  private final MonitoredGroupRepository groups;
  private volatile Map<UUID, List<MonitoredGroup>> bySession = Map.of();

  GroupWatch(MonitoredGroupRepository groups) {
    this.groups = groups;
  }

  void reload() {
    bySession = groups.active().stream().collect(Collectors.groupingBy(MonitoredGroup::sessionId));
  }
}
