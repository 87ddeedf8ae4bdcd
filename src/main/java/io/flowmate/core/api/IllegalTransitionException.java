package io.flowmate.core.api;

import java.util.List;

/**
 * A lifecycle move the object's current status does not allow (pausing a finished campaign,
 * deciding a decided approval). The aggregate's status type names the allowed moves and throws
 * this; {@link ApiExceptionHandler} answers 409 with the message as the problem's {@code detail}.
 */
public class IllegalTransitionException extends RuntimeException {

  public IllegalTransitionException(String detail) {
    super(detail);
  }

  /**
   * The usual sentence: "Job 42 is completed; only a running job can be paused".
   *
   * @param what the object as the API names it, capitalised: "Job"
   * @param current its status now
   * @param allowed the statuses the move starts from, as the API writes them
   * @param noun the object in the sentence's second half: "job"
   * @param verb the move as a past participle: "paused"
   */
  public static IllegalTransitionException of(
      String what, Object id, String current, List<String> allowed, String noun, String verb) {
    String statuses =
        allowed.size() == 1
            ? allowed.getFirst()
            : String.join(", ", allowed.subList(0, allowed.size() - 1))
                + " or "
                + allowed.getLast();
    String article = "aeiou".indexOf(statuses.charAt(0)) >= 0 ? "an" : "a";
    return new IllegalTransitionException(
        "%s %s is %s; only %s %s %s can be %s"
            .formatted(what, id, current, article, statuses, noun, verb));
  }
}
