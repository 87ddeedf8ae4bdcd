package io.flowmate.workflow;

import io.camunda.zeebe.gateway.protocol.GatewayGrpc;
import io.camunda.zeebe.gateway.protocol.GatewayOuterClass.ActivateJobsResponse;
import io.camunda.zeebe.gateway.protocol.GatewayOuterClass.ActivatedJob;
import io.camunda.zeebe.gateway.protocol.GatewayOuterClass.CompleteJobRequest;
import io.camunda.zeebe.gateway.protocol.GatewayOuterClass.FailJobRequest;
import io.camunda.zeebe.gateway.protocol.GatewayOuterClass.ThrowErrorRequest;
import io.camunda.zeebe.gateway.protocol.GatewayOuterClass.UpdateJobRetriesRequest;
import io.camunda.zeebe.gateway.protocol.GatewayOuterClass.UpdateJobTimeoutRequest;
import io.grpc.ForwardingServerCall.SimpleForwardingServerCall;
import io.grpc.ForwardingServerCallListener.SimpleForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Remembers the jobs one embedded engine handed to workers, and refuses commands for any other job
 * key. Every fresh engine numbers its keys from the same start, so a worker that finishes a job of
 * the engine before a recycle would otherwise complete (or fail) whichever job of the new engine
 * happens to have the same key. Refused, it gets {@code NOT_FOUND}, as for a job that is gone; its
 * work is found done by the re-created instance's own job.
 */
final class IssuedJobs implements ServerInterceptor {

  private static final String ACTIVATE = GatewayGrpc.getActivateJobsMethod().getFullMethodName();
  private static final String STREAM =
      GatewayGrpc.getStreamActivatedJobsMethod().getFullMethodName();

  /** Jobs handed out and not yet completed, failed or ended by an error. */
  private final Set<Long> keys = ConcurrentHashMap.newKeySet();

  int size() {
    return keys.size();
  }

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(
      ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
    String method = call.getMethodDescriptor().getFullMethodName();
    if (method.equals(ACTIVATE) || method.equals(STREAM)) {
      return next.startCall(recordingIssued(call), headers);
    }
    JobCommandCall<Q, R> checked = new JobCommandCall<>(call);
    return new SimpleForwardingServerCallListener<>(next.startCall(checked, headers)) {
      private boolean refused;

      @Override
      public void onMessage(Q message) {
        Long key = jobKey(message);
        if (key != null && !keys.contains(key)) {
          refused = true;
          call.close(
              Status.NOT_FOUND.withDescription(
                  "Job %d was not handed out by this engine (it belonged to the engine before a"
                          .formatted(key)
                      + " recycle)"),
              new Metadata());
          return;
        }
        if (key != null && ends(message)) {
          checked.ending = key;
        }
        super.onMessage(message);
      }

      @Override
      public void onHalfClose() {
        if (!refused) {
          super.onHalfClose();
        }
      }
    };
  }

  private <Q, R> ServerCall<Q, R> recordingIssued(ServerCall<Q, R> call) {
    return new SimpleForwardingServerCall<>(call) {
      @Override
      public void sendMessage(R message) {
        if (message instanceof ActivatedJob job) {
          keys.add(job.getKey());
        } else if (message instanceof ActivateJobsResponse response) {
          response.getJobsList().forEach(job -> keys.add(job.getKey()));
        }
        super.sendMessage(message);
      }
    };
  }

  /** Forgets a job once the engine accepted the command that ended it. */
  private final class JobCommandCall<Q, R> extends SimpleForwardingServerCall<Q, R> {
    private volatile Long ending;

    JobCommandCall(ServerCall<Q, R> call) {
      super(call);
    }

    @Override
    public void close(Status status, Metadata trailers) {
      if (status.isOk() && ending != null) {
        keys.remove(ending);
      }
      super.close(status, trailers);
    }
  }

  private static Long jobKey(Object message) {
    return switch (message) {
      case CompleteJobRequest request -> request.getJobKey();
      case FailJobRequest request -> request.getJobKey();
      case ThrowErrorRequest request -> request.getJobKey();
      case UpdateJobRetriesRequest request -> request.getJobKey();
      case UpdateJobTimeoutRequest request -> request.getJobKey();
      default -> null;
    };
  }

  /** Whether the command ends the job here (a failed job with retries left is handed out again). */
  private static boolean ends(Object message) {
    return message instanceof CompleteJobRequest
        || message instanceof FailJobRequest
        || message instanceof ThrowErrorRequest;
  }
}
