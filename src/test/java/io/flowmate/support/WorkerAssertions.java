package io.flowmate.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.camunda.client.exception.JobError;
import org.assertj.core.api.AbstractStringAssert;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

/**
 * For worker unit tests: how a job a worker refuses ({@code workflow.ForgedJob}) must look. The job
 * fails with no retries left, so the engine raises an incident at once instead of trying again.
 */
public final class WorkerAssertions {

  private WorkerAssertions() {}

  /**
   * Runs the worker call and asserts that it refused the job.
   *
   * @return the error message, for the caller to check which check failed
   */
  public static AbstractStringAssert<?> assertRefused(ThrowingCallable workerCall) {
    Throwable thrown = catchThrowable(workerCall);
    assertThat(thrown).as("the job is refused").isInstanceOf(JobError.class);
    JobError error = (JobError) thrown;
    assertThat(error.getRetries()).as("retries left after a refusal").isZero();
    return assertThat(error.getMessage()).startsWith("Refused: ");
  }
}
