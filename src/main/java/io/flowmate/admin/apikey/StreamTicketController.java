package io.flowmate.admin.apikey;

import io.flowmate.admin.AdminSettings;
import io.flowmate.core.security.Caller;
import io.flowmate.core.security.RequiresScope;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Instant;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** Issues stream tickets: the only credential a live event stream accepts in its URL. */
@RestController
@RequestMapping("/api/v2/stream-ticket")
@Tag(name = "API keys", description = "Scoped keys; the raw key is shown once")
class StreamTicketController {

  private final StreamTickets tickets;
  private final AdminSettings settings;

  StreamTicketController(StreamTickets tickets, AdminSettings settings) {
    this.tickets = tickets;
    this.settings = settings;
  }

  record StreamTicketView(String ticket, Instant expiresAt, long expiresInSeconds) {}

  @PostMapping
  @RequiresScope({})
  @Operation(
      summary = "A single-use ticket to open one live event stream (SSE) as ?ticket=",
      description =
          "Browsers' EventSource cannot send headers, and API keys are never accepted in URLs. The"
              + " ticket carries this key's tenant and scopes, opens one stream, and expires after"
              + " flowmate.admin.stream-ticket-ttl (60 s by default).")
  StreamTicketView issue(Caller caller) {
    StreamTickets.IssuedTicket issued =
        tickets.issue(caller.tenantId(), caller.apiKeyId(), caller.scopes());
    return new StreamTicketView(
        issued.value(), issued.expiresAt(), settings.streamTicketTtl().toSeconds());
  }
}
