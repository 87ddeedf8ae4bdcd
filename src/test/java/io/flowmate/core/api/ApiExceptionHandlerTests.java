package io.flowmate.core.api;

import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import org.hamcrest.Matchers;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/** How the handler answers failures that reach it from below the controllers. */
class ApiExceptionHandlerTests {

  private final MockMvc mvc =
      MockMvcBuilders.standaloneSetup(new Racing())
          .setControllerAdvice(new ApiExceptionHandler())
          .build();

  /** A race that ends on a unique key answers 409 with a detail naming no table, not 500. */
  @Test
  void aDuplicateKeyFromARaceIsAConflictThatNamesNoInternals() throws Exception {
    mvc.perform(post("/race"))
        .andExpect(status().isConflict())
        .andExpect(content().contentTypeCompatibleWith("application/problem+json"))
        .andExpect(jsonPath("$.detail", Matchers.containsString("already exists")))
        .andExpect(jsonPath("$.detail", Matchers.not(Matchers.containsString("gateway_session"))))
        .andExpect(jsonPath("$.detail", Matchers.not(Matchers.containsString("4915100000001"))));
  }

  /** Loses a race to a concurrent insert, as a repository would. */
  @RestController
  static class Racing {
    @PostMapping("/race")
    void race() {
      throw new DuplicateKeyException(
          "PreparedStatementCallback; ERROR: duplicate key value violates unique constraint"
              + " \"gateway_session_tenant_id_name_key\""
              + " Detail: Key (tenant_id, name)=(…, 4915100000001) already exists.");
    }
  }
}
