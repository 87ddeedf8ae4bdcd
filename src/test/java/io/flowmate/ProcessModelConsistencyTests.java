package io.flowmate;

import static org.assertj.core.api.Assertions.assertThat;

import io.camunda.client.annotation.JobWorker;
import io.camunda.zeebe.model.bpmn.Bpmn;
import io.camunda.zeebe.model.bpmn.BpmnModelInstance;
import io.camunda.zeebe.model.bpmn.instance.Process;
import io.camunda.zeebe.model.bpmn.instance.zeebe.ZeebeTaskDefinition;
import io.camunda.zeebe.model.bpmn.instance.zeebe.ZeebeTaskListener;
import java.io.File;
import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.context.annotation.ClassPathScanningCandidateComponentProvider;
import org.springframework.core.type.filter.AnnotationTypeFilter;
import org.springframework.stereotype.Component;

/**
 * Every job type in {@code bpmn/} has exactly one worker, every worker serves a job type that a
 * model uses, and names follow the convention: type {@code flowmate.<module>.<verb-object>},
 * handled by {@code <VerbObject>Worker} in {@code io.flowmate.<module>} or one of its feature
 * sub-packages; a model's file is {@code <module>-<process>.bpmn} and its process id is the file
 * name.
 */
class ProcessModelConsistencyTests {

  private static final Path MODELS = Path.of("bpmn");
  private static final Map<String, List<Method>> workersByType = new HashMap<>();
  private static final Set<String> modelJobTypes = new HashSet<>();
  private static final List<Path> models = new ArrayList<>();

  @BeforeAll
  static void readModelsAndWorkers() throws IOException, ClassNotFoundException {
    try (Stream<Path> files = Files.list(MODELS)) {
      files.filter(f -> f.toString().endsWith(".bpmn")).sorted().forEach(models::add);
    }
    for (Path model : models) {
      BpmnModelInstance instance = Bpmn.readModelFromFile(model.toFile());
      instance
          .getModelElementsByType(ZeebeTaskDefinition.class)
          .forEach(t -> modelJobTypes.add(t.getType()));
      instance
          .getModelElementsByType(ZeebeTaskListener.class)
          .forEach(t -> modelJobTypes.add(t.getType()));
    }
    var scanner = new ClassPathScanningCandidateComponentProvider(false);
    scanner.addIncludeFilter(new AnnotationTypeFilter(Component.class));
    for (BeanDefinition bean : scanner.findCandidateComponents("io.flowmate")) {
      Class<?> type = Class.forName(bean.getBeanClassName());
      for (Method method : type.getDeclaredMethods()) {
        JobWorker worker = method.getAnnotation(JobWorker.class);
        if (worker != null) {
          workersByType.computeIfAbsent(worker.type(), t -> new ArrayList<>()).add(method);
        }
      }
    }
  }

  @Test
  void thereAreModelsAndWorkers() {
    assertThat(models).isNotEmpty();
    assertThat(workersByType).isNotEmpty();
  }

  @Test
  void everyJobTypeInTheModelsHasExactlyOneWorker() {
    for (String type : modelJobTypes) {
      assertThat(workersByType.getOrDefault(type, List.of()))
          .as("workers for job type %s", type)
          .hasSize(1);
    }
  }

  @Test
  void everyWorkerServesAJobTypeAModelUses() {
    assertThat(modelJobTypes).containsAll(workersByType.keySet());
  }

  @Test
  void workersAreNamedAfterTheirTypeAndLiveInTheModuleTheTypeNames() {
    workersByType.forEach((type, methods) -> {
      assertThat(type).matches("flowmate\\.[a-z]+\\.[a-z]+(-[a-z]+)+");
      String[] parts = type.split("\\.");
      Class<?> worker = methods.getFirst().getDeclaringClass();
      // The module's root package or one of its feature sub-packages (internal to the module).
      assertThat(worker.getPackageName() + ".")
          .as(type)
          .startsWith("io.flowmate." + parts[1] + ".");
      String expected =
          Arrays.stream(parts[2].split("-"))
                  .map(word -> Character.toUpperCase(word.charAt(0)) + word.substring(1))
                  .collect(Collectors.joining())
              + "Worker";
      assertThat(worker.getSimpleName()).as(type).isEqualTo(expected);
      assertThat(
              Arrays.stream(worker.getDeclaredMethods())
                  .filter(m -> m.isAnnotationPresent(JobWorker.class))
                  .count())
          .as("job worker methods in %s", worker.getSimpleName())
          .isEqualTo(1);
    });
  }

  @Test
  void modelFilesAreNamedAfterTheirModuleAndProcess() {
    Set<String> modules =
        Arrays.stream(new File("src/main/java/io/flowmate").listFiles(File::isDirectory))
            .map(File::getName)
            .collect(Collectors.toSet());
    for (Path model : models) {
      String name = model.getFileName().toString().replace(".bpmn", "");
      assertThat(modules).as("module of %s", model).contains(name.substring(0, name.indexOf('-')));
      List<String> processIds =
          Bpmn.readModelFromFile(model.toFile()).getModelElementsByType(Process.class).stream()
              .map(Process::getId)
              .toList();
      assertThat(processIds).as("process id in %s", model).containsExactly(name);
    }
  }
}
