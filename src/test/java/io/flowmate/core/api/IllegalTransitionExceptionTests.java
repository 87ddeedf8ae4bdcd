package io.flowmate.core.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/** The sentence an illegal move says, and the 409 the handler answers it with. */
class IllegalTransitionExceptionTests {

  @Test
  void theSentenceNamesTheStatusAndWhatTheMoveNeeds() {
    assertThat(
            IllegalTransitionException.of(
                "Job", 42, "completed", List.of("running"), "job", "paused"))
        .hasMessage("Job 42 is completed; only a running job can be paused");
    assertThat(
            IllegalTransitionException.of(
                "Job", 42, "failed", List.of("pending", "running", "paused"), "job", "cancelled"))
        .hasMessage("Job 42 is failed; only a pending, running or paused job can be cancelled");
    assertThat(
            IllegalTransitionException.of(
                "Report", 7, "cancelled", List.of("active", "paused"), "report", "changed"))
        .hasMessage("Report 7 is cancelled; only an active or paused report can be changed");
  }

  @Test
  void anIllegalMoveIsA409WithTheSentenceAsDetail() throws Exception {
    MockMvc mvc =
        MockMvcBuilders.standaloneSetup(new Moving())
            .setControllerAdvice(new ApiExceptionHandler())
            .build();

    mvc.perform(post("/pause"))
        .andExpect(status().isConflict())
        .andExpect(content().contentTypeCompatibleWith("application/problem+json"))
        .andExpect(
            jsonPath("$.detail").value("Job 42 is completed; only a running job can be paused"));
  }

  /** Refuses a move, as a service would. */
  @RestController
  static class Moving {
    @PostMapping("/pause")
    void pause() {
      throw IllegalTransitionException.of(
          "Job", 42, "completed", List.of("running"), "job", "paused");
    }
  }
}
