package io.flowmate.core;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.task.ThreadPoolTaskSchedulerCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * What a {@code @Scheduled} sweep throws is logged through a {@link RepeatingFailureLog}, per
 * sweep: a sweep that fails every second while the database is away logs one stack trace and then a
 * count, where Spring's default handler would log a stack trace every time. Sweeps that handle
 * their own failures (the outbox's) never reach this.
 */
@Configuration(proxyBeanMethods = false)
class ScheduledTaskFailures {

  private static final Logger log = LoggerFactory.getLogger(ScheduledTaskFailures.class);

  @Bean
  ThreadPoolTaskSchedulerCustomizer repeatingFailuresOfScheduledTasks() {
    RepeatingFailureLog failures = new RepeatingFailureLog(log);
    return scheduler ->
        scheduler.setErrorHandler(error -> {
          String task = taskOf(error);
          failures.failed(task, "Scheduled task " + task, error);
        });
  }

  /**
   * The Flowmate method the scheduler called, named by the outermost Flowmate frame of the
   * failure's stack: {@code OutboxDispatcher.sweep}.
   */
  static String taskOf(Throwable error) {
    StackTraceElement[] stack = error.getStackTrace();
    for (int i = stack.length - 1; i >= 0; i--) {
      String type = stack[i].getClassName();
      if (type.startsWith("io.flowmate.") && !type.contains("$$")) {
        return type.substring(type.lastIndexOf('.') + 1) + "." + stack[i].getMethodName();
      }
    }
    return error.getClass().getSimpleName();
  }
}
