package io.flowmate.gateway;

import io.flowmate.core.api.ApiException;
import io.swagger.v3.oas.annotations.Hidden;
import java.util.Map;
import java.util.UUID;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.util.HtmlUtils;

/**
 * A browser page that shows a session's live QR code (refreshed every few seconds) and says when
 * the phone is linked. Opened through a pairing link ({@code POST
 * /api/v2/sessions/{id}/pairing-link}), whose token is the only credential it accepts.
 */
@RestController
@Hidden
class PairingPageController {

  private final PairingLinks links;
  private final SessionRepository sessions;
  private final SessionService service;

  PairingPageController(PairingLinks links, SessionRepository sessions, SessionService service) {
    this.links = links;
    this.sessions = sessions;
    this.service = service;
  }

  @GetMapping(path = "/pair/{sessionId}", produces = MediaType.TEXT_HTML_VALUE)
  ResponseEntity<String> page(
      @PathVariable UUID sessionId, @RequestParam(required = false) String token) {
    PairingLinks.Link link = link(sessionId, token);
    String name =
        sessions.find(link.tenantId(), sessionId).map(s -> s.info().name()).orElse("session");
    String safeToken = HtmlUtils.htmlEscape(token);
    String html =
        """
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
        <title>Link WhatsApp – %s</title>
        <style>
          body{font-family:system-ui,sans-serif;max-width:28rem;margin:3rem auto;text-align:center;color:#222}
          img{width:320px;height:320px;border:1px solid #ddd;border-radius:8px}
          #status{margin-top:1rem;font-weight:600}
          ol{text-align:left}
        </style></head>
        <body>
          <h1>Link WhatsApp</h1>
          <p>Session <b>%s</b></p>
          <ol><li>Open WhatsApp on the phone</li><li>Settings → Linked devices → Link a device</li>
          <li>Point the camera at this code</li></ol>
          <img id="qr" alt="QR code" src="/pair/%s/qr.png?token=%s">
          <div id="status">Waiting for the QR code…</div>
          <script>
            const base = "/pair/%s", token = "%s";
            async function refresh() {
              const r = await fetch(base + "/status?token=" + encodeURIComponent(token));
              if (!r.ok) { document.getElementById("status").textContent = "This link has expired."; return; }
              const s = await r.json();
              const status = document.getElementById("status"), qr = document.getElementById("qr");
              if (s.status === "working") { qr.style.display = "none"; status.textContent = "Linked ✓ " + (s.phone_number || ""); return; }
              if (s.status === "qr_code") { qr.style.display = ""; qr.src = base + "/qr.png?token=" + encodeURIComponent(token) + "&t=" + Date.now(); status.textContent = "Scan the code"; }
              else if (s.status === "passkey_required") { qr.style.display = "none"; status.textContent = "WhatsApp asks for a passkey: confirm it on the phone or in WhatsApp Web."; }
              else { qr.style.display = "none"; status.textContent = "Session is " + s.status + (s.failure_reason ? ": " + s.failure_reason : ""); }
              setTimeout(refresh, 3000);
            }
            refresh();
          </script>
        </body></html>
        """
            .formatted(
                HtmlUtils.htmlEscape(name),
                HtmlUtils.htmlEscape(name),
                sessionId,
                safeToken,
                sessionId,
                safeToken);
    return ResponseEntity.ok().cacheControl(CacheControl.noStore()).body(html);
  }

  @GetMapping(path = "/pair/{sessionId}/qr.png", produces = MediaType.IMAGE_PNG_VALUE)
  ResponseEntity<byte[]> qr(
      @PathVariable UUID sessionId, @RequestParam(required = false) String token) {
    PairingLinks.Link link = link(sessionId, token);
    return ResponseEntity.ok()
        .cacheControl(CacheControl.noStore())
        .body(QrCodes.png(service.qrCode(link.tenantId(), sessionId), 320));
  }

  @GetMapping(path = "/pair/{sessionId}/status", produces = MediaType.APPLICATION_JSON_VALUE)
  ResponseEntity<Map<String, Object>> status(
      @PathVariable UUID sessionId, @RequestParam(required = false) String token) {
    PairingLinks.Link link = link(sessionId, token);
    SessionRepository.SessionRow row = service.get(link.tenantId(), sessionId);
    Map<String, Object> body = new java.util.LinkedHashMap<>();
    body.put("status", row.info().status().value());
    body.put("phone_number", row.info().phoneNumber());
    body.put("failure_reason", row.failureReason());
    return ResponseEntity.ok().cacheControl(CacheControl.noStore()).body(body);
  }

  private PairingLinks.Link link(UUID sessionId, String token) {
    return links
        .resolve(token, sessionId)
        .orElseThrow(() ->
            new ApiException(
                HttpStatus.UNAUTHORIZED,
                "This pairing link is invalid or expired; ask for a new one"
                    + " (POST /api/v2/sessions/{id}/pairing-link)"));
  }
}
