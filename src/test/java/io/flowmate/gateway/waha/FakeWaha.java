package io.flowmate.gateway.waha;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import org.springframework.boot.test.util.TestPropertyValues;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A WAHA server on loopback for tests: it answers the REST calls Flowmate makes the way WAHA's GOWS
 * engine does (or, on request, the way NOWEB and WEBJS shape send answers), records every request
 * exactly as it arrived (method, raw path with {@code %40}, headers, JSON body), refuses calls
 * without the API key, and plays the phone: it posts session status changes, messages and acks to
 * Flowmate's webhook, signed with HMAC-SHA512 over the exact bytes it sends.
 *
 * <p>Like WAHA it keeps what each session sent, so {@code GET
 * /api/{session}/chats/{chatId}/messages} lists it as {@code WAMessage}s (newest first, with the
 * {@code filter.fromMe}, {@code filter.timestamp.gte} and {@code limit} parameters honoured): the
 * body is the text or caption, media have {@code hasMedia}, locations their coordinates, contact
 * cards their vCards, and a poll has no body, as the GOWS and NOWEB engines read it.
 *
 * <p>Webhooks go out one at a time, in order, from a single thread; each call that posts one
 * returns once Flowmate has answered.
 */
public final class FakeWaha {

  public static final String API_KEY = "waha-test-api-key";

  /** The key of the test vector in the transport reference (§2.4). */
  public static final String SECRET = "test-key";

  /** What Flowmate configures as its webhook in the sessions it creates. */
  public static final String WEBHOOK_URL = "http://flowmate.test/webhooks/waha";

  private static FakeWaha shared;

  private final ObjectMapper json = new ObjectMapper();
  private final HttpServer server;
  private final HttpClient client =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();
  private final ExecutorService poster =
      Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "fake-waha-webhooks");
        thread.setDaemon(true);
        return thread;
      });
  private final List<Request> requests = new CopyOnWriteArrayList<>();
  private final Map<String, FakeSession> sessions = new ConcurrentHashMap<>();
  private final Map<String, String> pnByLid = new ConcurrentHashMap<>();
  private final Map<String, Queue<Canned>> canned = new ConcurrentHashMap<>();
  private final Map<String, Queue<AfterCarriedOut>> afterCarriedOut = new ConcurrentHashMap<>();
  private final AtomicLong counter = new AtomicLong();
  private final List<Hold> holds = new CopyOnWriteArrayList<>();

  /** WhatsApp gives each new label an id of its own; the first one a fake creates is "7". */
  private final java.util.concurrent.atomic.AtomicInteger nextLabelId =
      new java.util.concurrent.atomic.AtomicInteger(7);

  private volatile URI webhookTarget;

  /** One request as WAHA received it. */
  public record Request(
      String method, String path, String query, Map<String, String> headers, JsonNode body) {

    public String header(String name) {
      return headers.get(name.toLowerCase(Locale.ROOT));
    }

    /** The session the call is about: in the body for chatting calls, else in the path. */
    public String session() {
      if (body.path("session").isTextual()) {
        return body.path("session").asText();
      }
      String[] segments = path.split("/");
      if (path.equals("/api/sessions") && body.path("name").isTextual()) {
        return body.path("name").asText();
      }
      if (segments.length > 3 && segments[2].equals("sessions")) {
        return segments[3];
      }
      if (query != null && query.contains("session=")) {
        return URLDecoder.decode(
            query.replaceAll(".*session=([^&]*).*", "$1"), StandardCharsets.UTF_8);
      }
      return segments.length > 2 ? segments[2] : null;
    }

    @Override
    public String toString() {
      return method + " " + path + (query == null ? "" : "?" + query) + " " + body;
    }
  }

  /** A webhook as the fake sent it, with Flowmate's answer. */
  public record Delivery(
      String eventId, byte[] body, Map<String, String> headers, int status, String answer) {}

  /** How send endpoints write the new message's id (the engines differ). */
  public enum IdShape {
    /** {@code {"id": "true_<chat>_<id>"}} */
    GOWS,
    /** {@code {"id": {"fromMe", "remote", "id", "_serialized"}}} */
    WEBJS,
    /** Baileys' {@code {"key": {"remoteJid", "fromMe", "id"}}} */
    NOWEB
  }

  private record Canned(int status, String body) {}

  /** What becomes of a call's answer after the call was carried out: replaced, or late. */
  private record AfterCarriedOut(int status, String body, Duration delay) {}

  private static final class FakeSession {
    final String name;
    volatile String status = "STOPPED";
    volatile JsonNode config = MissingNode.getInstance();
    volatile boolean paired;
    volatile boolean passkey;
    volatile String phone;
    volatile IdShape idShape = IdShape.GOWS;

    /** What the session sent, per chat id, oldest first, as WAHA lists it. */
    final Map<String, List<ObjectNode>> sent = new ConcurrentHashMap<>();

    FakeSession(String name) {
      this.name = name;
    }
  }

  private FakeWaha() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    // Enough threads that calls held on purpose (see hold) do not keep the others from answering.
    server.setExecutor(
        Executors.newFixedThreadPool(
            24,
            runnable -> {
              Thread thread = new Thread(runnable, "fake-waha");
              thread.setDaemon(true);
              return thread;
            }));
    server.createContext("/", this::handle);
    server.start();
  }

  /** A fake of its own (stop it when done). */
  public static FakeWaha start() {
    try {
      return new FakeWaha();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The one fake the WAHA application contexts of this test JVM talk to. */
  public static synchronized FakeWaha shared() {
    if (shared == null) {
      shared = start();
    }
    return shared;
  }

  public void stop() {
    server.stop(0);
    poster.shutdownNow();
  }

  public String baseUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /** Where the fake posts its webhooks (Flowmate's receiver). */
  public void webhookTarget(URI target) {
    this.webhookTarget = target;
  }

  // --- what the tests read --------------------------------------------------------------------

  public List<Request> requests() {
    return List.copyOf(requests);
  }

  public List<Request> requests(String session) {
    return requests.stream().filter(r -> session.equals(r.session())).toList();
  }

  /** The session's requests to this method and raw path. */
  public List<Request> requests(String session, String method, String path) {
    return requests(session).stream()
        .filter(r -> r.method().equals(method) && r.path().equals(path))
        .toList();
  }

  public List<Request> requests(Predicate<Request> matching) {
    return requests.stream().filter(matching).toList();
  }

  /** The messages the session sent to the chat, as WAHA lists them (oldest first). */
  public List<JsonNode> sentTo(String session, String chatId) {
    FakeSession found = sessions.get(session);
    return found == null ? List.of() : List.copyOf(found.sent.getOrDefault(chatId, List.of()));
  }

  public String status(String session) {
    FakeSession found = sessions.get(session);
    return found == null ? null : found.status;
  }

  // --- what the tests make WAHA do ------------------------------------------------------------

  /** The next call to {@code "METHOD /path"} gets this answer instead of the usual one. */
  /**
   * Holds every call whose method and raw path match (a slow WAHA) until the hold is released;
   * release it in a finally block.
   */
  public Hold hold(String method, String pathPattern) {
    Hold hold = new Hold(method, pathPattern);
    holds.add(hold);
    return hold;
  }

  /** Calls held unanswered until {@link #close}. */
  public final class Hold implements AutoCloseable {

    private final String method;
    private final String pathPattern;
    private final java.util.concurrent.CountDownLatch released =
        new java.util.concurrent.CountDownLatch(1);
    private final AtomicLong waiting = new AtomicLong();

    private Hold(String method, String pathPattern) {
      this.method = method;
      this.pathPattern = pathPattern;
    }

    /** How many calls are held right now. */
    public long waiting() {
      return waiting.get();
    }

    private void await(Request request) {
      if (!request.method().equals(method) || !request.path().matches(pathPattern)) {
        return;
      }
      waiting.incrementAndGet();
      try {
        released.await(60, java.util.concurrent.TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } finally {
        waiting.decrementAndGet();
      }
    }

    /** Answers the held calls and stops holding. */
    @Override
    public void close() {
      holds.remove(this);
      released.countDown();
    }
  }

  public void failNext(String call, int status, String body) {
    canned.computeIfAbsent(call, c -> new ConcurrentLinkedQueue<>()).add(new Canned(status, body));
  }

  /**
   * The next call to {@code "METHOD /path"} is carried out (a send reaches WhatsApp and is listed
   * in the chat), but answered with this status and body: WAHA failing after handing the message
   * over.
   */
  public void failNextAfterCarryingOut(String call, int status, String body) {
    afterCarriedOut
        .computeIfAbsent(call, c -> new ConcurrentLinkedQueue<>())
        .add(new AfterCarriedOut(status, body, Duration.ZERO));
  }

  /**
   * The next call to {@code "METHOD /path"} is carried out at once, but its answer is sent only
   * after this delay: longer than Flowmate waits, it times out on a message WhatsApp has.
   */
  public void answerNextLate(String call, Duration delay) {
    afterCarriedOut
        .computeIfAbsent(call, c -> new ConcurrentLinkedQueue<>())
        .add(new AfterCarriedOut(0, null, delay));
  }

  public void idShape(String session, IdShape shape) {
    session(session).idShape = shape;
  }

  /** WhatsApp will ask for a passkey when the phone links this session. */
  public void requirePasskey(String session) {
    session(session).passkey = true;
  }

  /** The LID WhatsApp uses for a phone number, answered by {@code /lids}. */
  public void knowLid(String lid, String phoneDigits) {
    pnByLid.put(lid, phoneDigits);
  }

  /** Puts a session into a status without telling anyone (for tests of the REST side alone). */
  public void status(String session, String status, boolean paired) {
    FakeSession found = session(session);
    found.status = status;
    found.paired = paired;
  }

  /** The phone scans the QR code: WORKING, or the passkey challenge first if one is required. */
  public Delivery scanQrCode(String session) {
    FakeSession found = session(session);
    found.phone = found.phone != null ? found.phone : phoneOf(session);
    if (found.passkey) {
      found.status = "PASSKEY_REQUIRED";
      return post(
          session,
          "session.status",
          statusPayload(
              session,
              "PASSKEY_REQUIRED",
              json.createObjectNode()
                  .put("challenge", "fake-webauthn-challenge-" + session)
                  .put("rpId", "web.whatsapp.com")));
    }
    return working(found);
  }

  /** The operator's browser signed the challenge; WhatsApp shows a code to compare, then links. */
  public Delivery confirmPasskey(String session) {
    FakeSession found = session(session);
    found.status = "PASSKEY_CONFIRMATION_REQUIRED";
    post(
        session,
        "session.status",
        statusPayload(
            session,
            "PASSKEY_CONFIRMATION_REQUIRED",
            json.createObjectNode().put("code", "472913")));
    return working(found);
  }

  /** The connection to WhatsApp broke. */
  public Delivery fail(String session) {
    session(session).status = "FAILED";
    return post(session, "session.status", statusPayload(session, "FAILED", null));
  }

  /** Posts an event about the session (envelope built like WAHA's, metadata echoed). */
  public Delivery post(String session, String event, JsonNode payload) {
    return deliver(envelope(session, event, payload));
  }

  /** A {@code message} payload as WAHA posts it for an incoming text. */
  public ObjectNode incomingText(String from, String text) {
    ObjectNode message = json.createObjectNode();
    message.put(
        "id", "false_" + from + "_" + UUID.randomUUID().toString().replace("-", "").toUpperCase());
    message.put("timestamp", Instant.now().getEpochSecond());
    message.put("from", from);
    message.put("fromMe", false);
    message.put("source", "app");
    message.put("body", text);
    message.putNull("to");
    message.put("hasMedia", false);
    message.putNull("media");
    message.put("ack", 2);
    message.put("ackName", "DEVICE");
    message.putNull("location");
    message.putNull("vCards");
    message.putNull("replyTo");
    return message;
  }

  /** A {@code message.ack} payload as WAHA posts it for a message the number sent to this chat. */
  public ObjectNode ackOf(String waMessageId, String chat, int ack, String ackName) {
    ObjectNode payload = json.createObjectNode();
    payload.put("id", waMessageId);
    payload.put("from", chat);
    payload.put("fromMe", true);
    payload.put("ack", ack);
    payload.put("ackName", ackName);
    return payload;
  }

  /** The envelope WAHA would post, serialised exactly once; its bytes are what gets signed. */
  public byte[] envelope(String session, String event, JsonNode payload) {
    FakeSession found = sessions.get(session);
    ObjectNode envelope = json.createObjectNode();
    envelope.put("id", "evt_" + UUID.randomUUID().toString().replace("-", ""));
    envelope.put("timestamp", Instant.now().toEpochMilli());
    envelope.put("session", session);
    envelope.set(
        "metadata",
        found == null ? json.createObjectNode() : found.config.path("metadata").deepCopy());
    envelope.put("engine", "GOWS");
    if (found != null && found.paired) {
      envelope.set("me", me(found));
    }
    envelope
        .putObject("environment")
        .put("version", "2026.9.2")
        .put("engine", "GOWS")
        .put("tier", "CORE");
    envelope.put("event", event);
    envelope.set("payload", payload);
    try {
      return json.writeValueAsBytes(envelope);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Posts these bytes signed as WAHA signs them. */
  public Delivery deliver(byte[] body) {
    return deliver(body, signatureHeaders(body));
  }

  private static Map<String, String> signatureHeaders(byte[] body) {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("X-Webhook-Hmac", WebhookSignature.sign(SECRET, body));
    headers.put("X-Webhook-Hmac-Algorithm", "sha512");
    return headers;
  }

  /** Posts the same bytes again, as WAHA's retry does. */
  public Delivery redeliver(Delivery earlier) {
    return deliver(earlier.body(), earlier.headers());
  }

  /** Posts bytes with exactly these webhook headers (none, wrong ones...). */
  public Delivery deliver(byte[] body, Map<String, String> headers) {
    try {
      return poster.submit(() -> send(body, headers)).get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("Posting the webhook failed", e.getCause());
    }
  }

  /**
   * Posts these bytes, signed, to another receiver than the webhook target, at once: WAHA behind a
   * load balancer reaching another Flowmate instance.
   */
  public Delivery deliverTo(URI target, byte[] body) {
    try {
      return send(target, body, signatureHeaders(body));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private Delivery send(byte[] body, Map<String, String> headers)
      throws IOException, InterruptedException {
    URI target = webhookTarget;
    if (target == null) {
      throw new IllegalStateException("No webhook target: call webhookTarget(...) first");
    }
    return send(target, body, headers);
  }

  private Delivery send(URI target, byte[] body, Map<String, String> headers)
      throws IOException, InterruptedException {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(target)
            .timeout(Duration.ofSeconds(10))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    headers.forEach(request::header);
    HttpResponse<String> response =
        client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    String id = json.readTree(body).path("id").asText(null);
    return new Delivery(id, body, Map.copyOf(headers), response.statusCode(), response.body());
  }

  // --- the REST API -----------------------------------------------------------------------------

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      byte[] raw = exchange.getRequestBody().readAllBytes();
      JsonNode body = raw.length == 0 ? MissingNode.getInstance() : json.readTree(raw);
      Map<String, String> headers = new LinkedHashMap<>();
      exchange
          .getRequestHeaders()
          .forEach((name, values) -> headers.put(name.toLowerCase(Locale.ROOT), values.getFirst()));
      URI uri = exchange.getRequestURI();
      Request request =
          new Request(
              exchange.getRequestMethod(), uri.getRawPath(), uri.getRawQuery(), headers, body);
      requests.add(request);
      for (Hold hold : holds) {
        hold.await(request);
      }
      Answer answer = answer(request);
      Queue<AfterCarriedOut> after = afterCarriedOut.get(request.method() + " " + request.path());
      AfterCarriedOut then = after == null ? null : after.poll();
      if (then != null && then.delay().isPositive()) {
        try {
          Thread.sleep(then.delay().toMillis());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      } else if (then != null) {
        answer = Answer.json(then.status(), then.body());
      }
      exchange.getResponseHeaders().add("Content-Type", answer.contentType());
      byte[] bytes = answer.body();
      exchange.sendResponseHeaders(answer.status(), bytes.length == 0 ? -1 : bytes.length);
      if (bytes.length > 0) {
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(bytes);
        }
      }
    }
  }

  private record Answer(int status, byte[] body, String contentType) {
    static Answer json(int status, String body) {
      return new Answer(status, body.getBytes(StandardCharsets.UTF_8), "application/json");
    }
  }

  private Answer answer(Request request) throws IOException {
    if (!API_KEY.equals(request.header("X-Api-Key"))) {
      return Answer.json(401, "{\"message\":\"Unauthorized\",\"statusCode\":401}");
    }
    String call = request.method() + " " + request.path();
    Queue<Canned> queue = canned.get(call);
    Canned next = queue == null ? null : queue.poll();
    if (next != null) {
      return Answer.json(next.status(), next.body());
    }
    List<String> path =
        Arrays.stream(request.path().split("/"))
            .skip(1)
            .map(s -> URLDecoder.decode(s, StandardCharsets.UTF_8))
            .toList();
    String method = request.method();
    if (path.size() < 2 || !path.get(0).equals("api")) {
      return Answer.json(404, "{\"message\":\"Not found\"}");
    }
    if (path.get(1).equals("files") && method.equals("GET")) {
      return new Answer(
          200,
          ("media of " + String.join("/", path.subList(2, path.size())))
              .getBytes(StandardCharsets.UTF_8),
          "audio/ogg");
    }
    if (path.get(1).equals("sessions")) {
      return sessions(method, path, request.body());
    }
    boolean chatting = Arrays.asList("sendSeen", "startTyping", "stopTyping").contains(path.get(1));
    if (path.get(1).startsWith("send") && !chatting && method.equals("POST") && path.size() == 2) {
      return send(path.get(1), request.body());
    }
    switch (method + " " + String.join("/", path.subList(1, path.size()))) {
      case "PUT reaction", "POST sendSeen", "POST startTyping", "POST stopTyping" -> {
        return Answer.json(path.get(1).equals("reaction") ? 200 : 201, "{}");
      }
      case "GET contacts/check-exists" -> {
        String phone = request.query().replaceAll(".*phone=([0-9]*).*", "$1");
        boolean exists = !phone.startsWith("4990");
        return Answer.json(
            200,
            exists
                ? "{\"numberExists\":true,\"chatId\":\"" + phone + "@c.us\"}"
                : "{\"numberExists\":false}");
      }
      default -> {}
    }
    return sessionResource(method, path, request.body(), query(request.query()));
  }

  /** {@code /api/sessions/...}: create, read, update, start, stop, restart, logout, delete, me. */
  private Answer sessions(String method, List<String> path, JsonNode body) {
    if (path.size() == 2 && method.equals("POST")) {
      FakeSession created = session(body.path("name").asText());
      created.config = body.path("config").deepCopy();
      if (body.path("start").asBoolean(true)) {
        startLater(created);
      }
      return Answer.json(201, sessionJson(created).toString());
    }
    FakeSession found = path.size() > 2 ? sessions.get(path.get(2)) : null;
    if (found == null) {
      return Answer.json(
          404, "{\"statusCode\":404,\"message\":\"Session not found\",\"error\":\"Not Found\"}");
    }
    String action = path.size() > 3 ? path.get(3) : "";
    switch (method + " " + action) {
      case "GET " -> {
        return Answer.json(200, sessionJson(found).toString());
      }
      case "PUT " -> {
        found.config = body.path("config").deepCopy();
        return Answer.json(200, sessionJson(found).toString());
      }
      case "DELETE " -> {
        sessions.remove(found.name);
        return Answer.json(200, "{}");
      }
      case "POST start", "POST restart" -> {
        startLater(found);
        return Answer.json(201, sessionJson(found).toString());
      }
      case "POST stop" -> {
        found.status = "STOPPED";
        return Answer.json(201, sessionJson(found).toString());
      }
      case "POST logout" -> {
        found.paired = false;
        found.status = "STOPPED";
        return Answer.json(201, sessionJson(found).toString());
      }
      case "GET me" -> {
        if (!found.paired) {
          return Answer.json(200, "null");
        }
        ObjectNode me = me(found);
        me.putObject("reachoutTimelock")
            .put("isActive", true)
            .put("enforcementType", "DEFAULT")
            .put("timeEnforcementEnds", Instant.now().plusSeconds(3600).getEpochSecond());
        me.putObject("messageCapping")
            .put("cappingStatus", "FIRST_WARNING")
            .put("totalQuota", 1000)
            .put("usedQuota", 840);
        return Answer.json(200, me.toString());
      }
      default -> {
        return Answer.json(404, "{\"message\":\"Not found\"}");
      }
    }
  }

  /** {@code /api/{session}/...}: auth, chats, lids, groups, labels. */
  private Answer sessionResource(
      String method, List<String> path, JsonNode body, Map<String, String> query) {
    FakeSession found = sessions.get(path.get(1));
    if (found == null) {
      return Answer.json(404, "{\"statusCode\":404,\"message\":\"Session not found\"}");
    }
    List<String> rest = path.subList(2, path.size());
    String route =
        method
            + " "
            + String.join(
                "/",
                rest.stream().map(s -> s.contains("@") || s.matches("[0-9]+") ? "*" : s).toList());
    switch (route) {
      case "GET auth/qr" -> {
        if (!found.status.equals("SCAN_QR_CODE")) {
          return notAsExpected(found, "SCAN_QR_CODE");
        }
        return Answer.json(200, "{\"value\":\"2@FAKEQR," + found.name + "\"}");
      }
      case "POST auth/request-code" -> {
        return Answer.json(201, "{\"code\":\"WXYZ-1234\"}");
      }
      case "GET chats/*/messages" -> {
        return Answer.json(200, messages(found, rest.get(1), query).toString());
      }
      case "PUT chats/*/messages/*", "DELETE chats/*/messages/*" -> {
        return Answer.json(200, "{}");
      }
      case "GET lids/*" -> {
        String lid = rest.get(1);
        String pn = pnByLid.get(lid);
        return Answer.json(
            200,
            "{\"lid\":\""
                + lid
                + "\",\"pn\":"
                + (pn == null ? "null" : "\"" + pn + "@c.us\"")
                + "}");
      }
      case "GET lids/pn/*" -> {
        String digits = rest.get(2).replaceAll("@.*", "");
        String lid =
            pnByLid.entrySet().stream()
                .filter(e -> e.getValue().equals(digits))
                .map(Map.Entry::getKey)
                .findFirst()
                .orElse(null);
        return Answer.json(
            200,
            "{\"lid\":"
                + (lid == null ? "null" : "\"" + lid + "\"")
                + ",\"pn\":\""
                + digits
                + "@c.us\"}");
      }
      case "GET groups" -> {
        // GOWS-style: an object keyed by group id.
        return Answer.json(
            200,
            """
            {"120363000000000001@g.us": {"id": "120363000000000001@g.us", "subject": "Porto runners",
              "description": "Sunday runs", "participants": [{"id": "1@lid"}, {"id": "2@lid"}, {"id": "3@lid"}]},
             "120363000000000002@g.us": {"id": "120363000000000002@g.us", "subject": "Suppliers", "participants": []}}
            """);
      }
      case "GET groups/*/participants/v2" -> {
        return Answer.json(
            200,
            """
            [{"id": "111111111111111@lid", "pn": "4915100000201@c.us", "role": "superadmin"},
             {"id": "4915100000202@c.us", "role": "participant"},
             {"id": "222222222222222@lid", "role": "admin"},
             {"id": "333333333333333@lid", "role": "left"}]
            """);
      }
      case "GET labels" -> {
        return Answer.json(
            200, "[{\"id\":\"1\",\"name\":\"New Client\",\"color\":1,\"colorHex\":\"#64c4ff\"}]");
      }
      case "POST labels" -> {
        ObjectNode label =
            json.createObjectNode()
                .put("id", String.valueOf(nextLabelId.getAndIncrement()))
                .put("name", body.path("name").asText())
                .put("color", 1);
        label.put("colorHex", body.path("colorHex").asText("#64c4ff"));
        return Answer.json(201, label.toString());
      }
      case "PUT labels/*" -> {
        ObjectNode label =
            json.createObjectNode().put("id", rest.get(1)).put("name", body.path("name").asText());
        label.put("colorHex", body.path("colorHex").asText("#64c4ff"));
        return Answer.json(200, label.toString());
      }
      case "DELETE labels/*", "PUT labels/chats/*" -> {
        return Answer.json(200, "{}");
      }
      default -> {
        return Answer.json(404, "{\"message\":\"Not found: " + route + "\"}");
      }
    }
  }

  /**
   * {@code POST /api/send…}: refused unless the session works; the id shaped as the engine does.
   */
  private Answer send(String endpoint, JsonNode body) {
    FakeSession found = sessions.get(body.path("session").asText());
    if (found == null || !found.status.equals("WORKING")) {
      return found == null
          ? Answer.json(404, "{\"statusCode\":404,\"message\":\"Session not found\"}")
          : notAsExpected(found, "WORKING");
    }
    String chat = body.path("chatId").asText();
    String id = "FAKE" + counter.incrementAndGet();
    String serialized = "true_" + chat + "_" + id;
    found
        .sent
        .computeIfAbsent(chat, c -> new CopyOnWriteArrayList<>())
        .add(listed(found, endpoint, body, serialized));
    ObjectNode answer = json.createObjectNode();
    switch (found.idShape) {
      case GOWS -> {
        answer.put("id", serialized);
        answer.putObject("_data").put("endpoint", endpoint);
      }
      case WEBJS -> {
        answer
            .putObject("id")
            .put("fromMe", true)
            .put("remote", chat)
            .put("id", id)
            .put("_serialized", serialized);
        answer.put("body", body.path("text").asText(""));
      }
      case NOWEB -> {
        answer
            .putObject("key")
            .put("remoteJid", chat.replace("@c.us", "@s.whatsapp.net"))
            .put("fromMe", true)
            .put("id", id);
        answer.put("status", "PENDING");
      }
    }
    return Answer.json(201, answer.toString());
  }

  /** The message a send created, as {@code GET .../messages} lists it ({@code WAMessage}). */
  private ObjectNode listed(
      FakeSession session, String endpoint, JsonNode body, String serialized) {
    ObjectNode message = json.createObjectNode();
    message.put("id", serialized);
    message.put("timestamp", Instant.now().getEpochSecond());
    message.put("from", me(session).path("id").asText());
    message.put("fromMe", true);
    message.put("source", "api");
    message.put("to", body.path("chatId").asText());
    String text =
        endpoint.equals("sendText")
            ? body.path("text").asText(null)
            : body.path("caption").asText(null);
    if (text == null) {
      message.putNull("body");
    } else {
      message.put("body", text);
    }
    message.put("hasMedia", body.has("file"));
    message.putNull("media");
    if (endpoint.equals("sendLocation")) {
      message
          .putObject("location")
          .put("latitude", body.path("latitude").asDouble())
          .put("longitude", body.path("longitude").asDouble())
          .put("name", body.path("title").asText(null))
          .put("live", false);
    } else {
      message.putNull("location");
    }
    if (endpoint.equals("sendContactVcard")) {
      ArrayNode cards = message.putArray("vCards");
      body.path("contacts").forEach(contact -> cards.add(vCard(contact)));
    } else {
      message.putArray("vCards");
    }
    message.put("ack", 1);
    message.put("ackName", "SERVER");
    message.putNull("replyTo");
    return message;
  }

  /** A structured contact as WAHA writes it into a vCard; a complete vCard as it is. */
  private static String vCard(JsonNode contact) {
    if (contact.path("vcard").isTextual()) {
      return contact.path("vcard").asText();
    }
    StringBuilder card = new StringBuilder("BEGIN:VCARD\nVERSION:3.0\n");
    card.append("FN:").append(contact.path("fullName").asText()).append("\n");
    if (contact.path("organization").isTextual()) {
      card.append("ORG:").append(contact.path("organization").asText()).append(";\n");
    }
    if (contact.path("phoneNumber").isTextual()) {
      card.append("TEL;type=CELL;type=VOICE;waid=")
          .append(contact.path("whatsappId").asText())
          .append(':')
          .append(contact.path("phoneNumber").asText())
          .append("\n");
    }
    return card.append("END:VCARD").toString();
  }

  /**
   * {@code GET /api/{session}/chats/{chatId}/messages}: newest first, filtered, at most {@code
   * limit}.
   */
  private ArrayNode messages(FakeSession session, String chat, Map<String, String> query) {
    List<ObjectNode> matching = new ArrayList<>(session.sent.getOrDefault(chat, List.of()));
    // Reversed before the stable sort, so messages of the same second stay newest first too.
    java.util.Collections.reverse(matching);
    String fromMe = query.get("filter.fromMe");
    long since = Long.parseLong(query.getOrDefault("filter.timestamp.gte", "0"));
    int limit = Integer.parseInt(query.getOrDefault("limit", "10"));
    ArrayNode answer = json.createArrayNode();
    matching.stream()
        .filter(m -> fromMe == null || m.path("fromMe").asBoolean() == Boolean.parseBoolean(fromMe))
        .filter(m -> m.path("timestamp").asLong() >= since)
        .sorted(
            java.util.Comparator.comparingLong((ObjectNode m) -> m.path("timestamp").asLong())
                .reversed())
        .limit(limit)
        .forEach(answer::add);
    return answer;
  }

  private static Map<String, String> query(String raw) {
    Map<String, String> parameters = new LinkedHashMap<>();
    if (raw == null || raw.isEmpty()) {
      return parameters;
    }
    for (String pair : raw.split("&")) {
      int equals = pair.indexOf('=');
      String name =
          URLDecoder.decode(equals < 0 ? pair : pair.substring(0, equals), StandardCharsets.UTF_8);
      String value =
          equals < 0 ? "" : URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8);
      parameters.put(name, value);
    }
    return parameters;
  }

  private Answer notAsExpected(FakeSession session, String expected) {
    return Answer.json(
        422,
        "{\"error\":\"Session status is not as expected. Try again later or restart the session\","
            + "\"session\":\""
            + session.name
            + "\",\"status\":\""
            + session.status
            + "\",\"expected\":[\""
            + expected
            + "\"]}");
  }

  // --- the phone behind the sessions ------------------------------------------------------------

  /**
   * After a start, WAHA reports STARTING, then WORKING if it has credentials, else SCAN_QR_CODE.
   */
  private void startLater(FakeSession session) {
    session.status = "STARTING";
    if (webhookTarget == null) {
      return;
    }
    poster.execute(() -> {
      try {
        String next = session.paired ? "WORKING" : "SCAN_QR_CODE";
        byte[] starting =
            envelope(session.name, "session.status", statusPayload(session.name, "STARTING", null));
        send(starting, signatureHeaders(starting));
        session.status = next;
        byte[] then =
            envelope(session.name, "session.status", statusPayload(session.name, next, null));
        send(then, signatureHeaders(then));
      } catch (IOException | InterruptedException e) {
        throw new IllegalStateException(e);
      }
    });
  }

  private Delivery working(FakeSession session) {
    session.paired = true;
    session.status = "WORKING";
    return post(session.name, "session.status", statusPayload(session.name, "WORKING", null));
  }

  private ObjectNode statusPayload(String session, String status, JsonNode data) {
    ObjectNode payload = json.createObjectNode().put("name", session).put("status", status);
    payload
        .putArray("statuses")
        .addObject()
        .put("status", status)
        .put("timestamp", Instant.now().toEpochMilli());
    if (data != null) {
      payload.set("data", data);
    }
    return payload;
  }

  private ObjectNode sessionJson(FakeSession session) {
    ObjectNode answer =
        json.createObjectNode().put("name", session.name).put("status", session.status);
    answer.set("config", session.config);
    if (session.paired) {
      answer.set("me", me(session));
    }
    return answer;
  }

  private ObjectNode me(FakeSession session) {
    String phone = session.phone != null ? session.phone : phoneOf(session.name);
    return json.createObjectNode()
        .put("id", phone + "@c.us")
        .put("lid", lidOf(phone))
        .put("pushName", "Fake phone");
  }

  private FakeSession session(String name) {
    return sessions.computeIfAbsent(name, FakeSession::new);
  }

  /** A stable fictional number per session (+1 555). */
  public static String phoneOf(String session) {
    return "1555" + String.format("%07d", Math.floorMod(session.hashCode(), 10_000_000));
  }

  /** The LID WhatsApp gives a number in this fake. */
  public static String lidOf(String phone) {
    return (100_000_000_000_000L + Math.floorMod(phone.hashCode(), 1_000_000_000_000L)) + "@lid";
  }

  /** Copies the fake's coordinates into an application context: transport {@code waha}. */
  public static class Properties
      implements ApplicationContextInitializer<ConfigurableApplicationContext> {
    @Override
    public void initialize(ConfigurableApplicationContext context) {
      FakeWaha fake = shared();
      List<String> values = new ArrayList<>();
      values.add("flowmate.gateway.transport=waha");
      values.add("flowmate.gateway.waha.base-url=" + fake.baseUrl());
      values.add("flowmate.gateway.waha.api-key=" + API_KEY);
      values.add("flowmate.gateway.waha.webhook-secret=" + SECRET);
      values.add("flowmate.gateway.waha.webhook-url=" + WEBHOOK_URL);
      values.add("flowmate.gateway.waha.timeout=5s");
      TestPropertyValues.of(values).applyTo(context);
    }
  }
}
