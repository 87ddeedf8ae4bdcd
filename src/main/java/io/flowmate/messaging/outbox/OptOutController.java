package io.flowmate.messaging.outbox;

import io.flowmate.core.ChatId;
import io.flowmate.core.api.ApiException;
import io.flowmate.core.api.Page;
import io.flowmate.core.api.PageQuery;
import io.flowmate.core.security.Caller;
import io.flowmate.core.security.RequiresScope;
import io.flowmate.core.security.Scopes;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** People who wrote a stop keyword: nobody of the tenant messages them again. */
@RestController
@RequestMapping("/api/v2/opt-outs")
@Tag(
    name = "Opt-outs",
    description = "Contacts who asked not to be messaged (STOP, SAIR, PARAR, BAJA, ...)")
class OptOutController {

  private final OptOutRepository optOuts;

  OptOutController(OptOutRepository optOuts) {
    this.optOuts = optOuts;
  }

  @GetMapping
  @RequiresScope(Scopes.MESSAGES_READ)
  Page<OptOutRepository.OptOut> list(
      Caller caller,
      @RequestParam(required = false) Integer limit,
      @RequestParam(required = false) Integer offset) {
    PageQuery page = PageQuery.of(limit, offset);
    return Page.of(optOuts.list(caller.tenantId(), page), optOuts.count(caller.tenantId()), page);
  }

  @DeleteMapping("/{address}")
  @ResponseStatus(HttpStatus.NO_CONTENT)
  @RequiresScope(Scopes.SETTINGS_MANAGE)
  @Operation(summary = "Lift an opt-out, only when the person asked to receive messages again")
  void lift(Caller caller, @PathVariable String address) {
    ChatId chat = ChatId.parse(address);
    String key = chat.phoneNumber().orElse(chat.value());
    if (!optOuts.remove(caller.tenantId(), key)) {
      throw ApiException.notFound("Opt-out", address);
    }
  }
}
