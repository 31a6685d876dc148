package dev.kindling.local;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.kindling.handler.http.HttpApiEvents;
import dev.kindling.http.PathPattern;
import dev.kindling.engagement.SmsInbound;
import dev.kindling.json.Json;
import dev.kindling.sms.Phones;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.format.DateTimeFormatter;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The template's HTTP API on 127.0.0.1: each request becomes the API Gateway (payload 2.0) event
 * the function would get on AWS, and the function's response event becomes the HTTP response.
 * A function with a function URL answers under {@code /lambda-url/<Function>/}, as at its own origin on AWS: the event
 * is the one a function URL sends (the same format, route {@code $default}, no path parameters), its path without the
 * prefix. Also serves {@code GET /health}, the Lambda Invoke API, {@code GET /local/events} and
 * {@code POST /local/schedules/<Function>.<Event>} (runs a schedule now), the email outbox
 * at {@code /outbox}, the SMS outbox at {@code /sms-outbox}, and {@code POST /local/sms/inbound} (a text a phone sends
 * the shop's number, as End User Messaging publishes it to SmsFunction's topic).
 */
public final class LocalServer implements AutoCloseable {
    /** API Gateway HTTP APIs accept at most 10 MB; larger requests never reach a function. */
    static final int MAX_REQUEST_BYTES = 10 * 1024 * 1024;
    private static final Pattern INVOKE = Pattern.compile("/2015-03-31/functions/([^/]+)/invocations");
    private static final DateTimeFormatter REQUEST_TIME =
            DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ENGLISH).withZone(ZoneOffset.UTC);

    private record BoundRoute(SamTemplate.HttpRoute route, PathPattern path, String function) {}

    /** Where a function's URL answers locally: {@code /lambda-url/IngestFunction/v1/t} is its URL's {@code /v1/t}. */
    public static final String FUNCTION_URLS = "/lambda-url/";
    private static final Pattern FUNCTION_URL = Pattern.compile(Pattern.quote(FUNCTION_URLS) + "([A-Za-z0-9]+)(/.*)?");
    /** A function URL's events name no route. */
    private static final String URL_ROUTE = "$default";

    private final HttpServer server;
    private final ExecutorService workers = Executors.newFixedThreadPool(16);
    private final List<BoundRoute> routes = new ArrayList<>();
    private final Set<String> withUrls = new HashSet<>();
    private final Map<String, RequestStreamHandler> functions;
    private final LocalBus bus;
    private final LocalScheduler scheduler;
    private final LocalOutbox outbox;
    private final LocalSmsOutbox smsOutbox;
    private final LocalExportFiles exports;
    private final LocalImportUploads uploads;
    private final Clock clock;
    private final LocalAwsApi awsApi;
    private final LocalFunctionEnvironments functionEnvironments;
    private final LocalUsage usage;

    /** Binds the port first, so the functions can be built knowing the address their links point at. */
    public static HttpServer bind(int port) throws IOException {
        return HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 256);
    }

    /** @param outbox the local outbox, or null when email goes to an SES endpoint */
    public LocalServer(HttpServer server, SamTemplate template, Map<String, RequestStreamHandler> functions, LocalBus bus,
                       LocalScheduler scheduler, LocalOutbox outbox, LocalSmsOutbox smsOutbox, LocalExportFiles exports, LocalImportUploads uploads, Clock clock, LocalAwsApi awsApi,
                       LocalFunctionEnvironments functionEnvironments, LocalUsage usage) {
        this.usage = usage;
        this.exports = exports;
        this.uploads = uploads;
        this.server = server;
        this.awsApi = awsApi;
        this.functionEnvironments = functionEnvironments;
        this.functions = functions;
        this.bus = bus;
        this.scheduler = scheduler;
        this.outbox = outbox;
        this.smsOutbox = smsOutbox;
        this.clock = clock;
        for (SamTemplate.Function f : template.functions()) {
            for (SamTemplate.HttpRoute route : f.routes()) routes.add(bind(route, f.name()));
            if (f.url()) withUrls.add(f.name());
        }
        // Literal segments win over path parameters, as in API Gateway.
        routes.sort(Comparator.comparingInt((BoundRoute r) -> r.path().names().size()));
        server.setExecutor(workers);
        server.createContext("/", this::serve);
        server.start();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** Whether each request is printed as one line (the command line's runtime; tests' embedded runtimes stay quiet). */
    static final String REQUEST_LOG = "kindling.local.requestLog";
    private static final Pattern ADDRESS = Pattern.compile("[^/@\\s]+(@|%40)[^/\\s]+");

    private void serve(HttpExchange exchange) throws IOException {
        long started = System.nanoTime();
        String path = exchange.getRequestURI().getRawPath();
        String method = exchange.getRequestMethod().toUpperCase(Locale.ROOT);
        try (exchange) {
            serve(exchange, path, method);
        } finally {
            if (Boolean.getBoolean(REQUEST_LOG)) {
                // the path only (a query can carry an address), and an address in the path shown as <email>
                System.out.printf("%s %s %d %d ms%n", method, ADDRESS.matcher(path).replaceAll("<email>"), exchange.getResponseCode(),
                        (System.nanoTime() - started) / 1_000_000);
            }
        }
    }

    private void serve(HttpExchange exchange, String path, String method) throws IOException {
        try {
            // an upload is S3's, not the HTTP API's: streamed to its file, past the API's 10 MB
            if (path.startsWith(LocalImportUploads.PREFIX) && method.equals("PUT")) {
                boolean taken = uploads.accept(path, HttpApiEvents.query(exchange.getRequestURI().getRawQuery()), exchange.getRequestBody());
                // as S3 answers a presigned PUT: 200, or 403 for a link that expired or was altered
                respond(exchange, taken ? 200 : 403, "application/json", taken ? "{}" : "{\"message\":\"the link has expired or is not valid\"}");
                return;
            }
            byte[] body = readBody(exchange.getRequestBody());
            if (body == null) {
                respond(exchange, 413, "application/json", "{\"message\":\"Request Entity Too Large\"}");
                return;
            }
            if (path.equals("/health") && method.equals("GET")) {
                respond(exchange, 200, "application/json", "{\"status\":\"ok\"}");
                return;
            }
            LocalAwsApi.Answer aws = awsApi.answer(method, path, exchange.getRequestHeaders().getFirst("X-Amz-Target"), body);
            if (aws != null) {
                respond(exchange, aws.status(), "application/x-amz-json-1.1", aws.body());
                return;
            }
            if (path.startsWith("/local/functions/") && method.equals("GET")) {
                String name = path.substring("/local/functions/".length());
                Map<String, String> environment = functionEnvironments.environment(name);
                if (environment == null) {
                    respond(exchange, 404, "application/json", Json.write(Map.of("message", "no function " + name)));
                } else {
                    respond(exchange, 200, "application/json", Json.write(Map.of("name", name, "handler", functionEnvironments.handler(name),
                            "memorySize", functionEnvironments.memorySize(name), "environment", environment)));
                }
                return;
            }
            if (path.equals("/local/events") && method.equals("GET")) {
                respond(exchange, 200, "application/json", Json.write(bus.recent(100)));
                return;
            }
            if (path.startsWith("/local/schedules/") && method.equals("POST")) {
                String name = path.substring("/local/schedules/".length());
                if (!scheduler.has(name)) {
                    respond(exchange, 404, "application/json", Json.write(Map.of("message", "no schedule " + name)));
                } else {
                    respond(exchange, 200, "application/json", new String(scheduler.run(name), StandardCharsets.UTF_8));
                }
                return;
            }
            if ((path.startsWith("/local/exports/") || path.startsWith("/" + LocalExportFiles.BUCKET + "/")) && method.equals("GET")) {
                var served = exports.serve(path, HttpApiEvents.query(exchange.getRequestURI().getRawQuery()));
                if (served.isEmpty()) {
                    // as S3 answers a presigned URL that expired or was altered
                    respond(exchange, 403, "application/json", "{\"message\":\"the link has expired or is not valid\"}");
                } else {
                    exchange.getResponseHeaders().set("Content-Disposition", "attachment; filename=\"" + served.get().fileName() + "\"");
                    exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
                    exchange.sendResponseHeaders(200, served.get().json().length);
                    exchange.getResponseBody().write(served.get().json());
                }
                return;
            }
            if ((path.equals("/sms-outbox") || path.equals("/sms-outbox/")) && method.equals("GET")) {
                respond(exchange, 200, "text/html; charset=utf-8", OutboxPages.texts(smsOutbox.all()));
                return;
            }
            if (path.equals("/sms-outbox.json") && method.equals("GET")) {
                respond(exchange, 200, "application/json", Json.write(smsOutbox.all()));
                return;
            }
            if (path.equals("/local/sms/inbound") && method.equals("POST")) {
                inboundText(exchange, body);
                return;
            }
            if (path.startsWith("/t/") && method.equals("GET") && outbox != null) {
                tracked(exchange, path);
                return;
            }
            if (path.startsWith("/outbox") && method.equals("GET") && outbox != null) {
                outbox(exchange, path);
                return;
            }
            Matcher invoke = INVOKE.matcher(path);
            if (invoke.matches() && method.equals("POST")) {
                invoke(exchange, invoke.group(1), body);
                return;
            }
            Matcher url = FUNCTION_URL.matcher(path);
            if (url.matches() && withUrls.contains(url.group(1))) {
                proxy(exchange, url.group(1), URL_ROUTE, url.group(2) == null ? "/" : url.group(2), null, body);
                return;
            }
            for (BoundRoute route : routes) {
                Matcher m = route.path().regex().matcher(path);
                if ((route.route().method().equals(method) || route.route().method().equals("ANY")) && m.matches()) {
                    Map<String, String> parameters = new LinkedHashMap<>();
                    for (int i = 0; i < route.path().names().size(); i++) {
                        parameters.put(route.path().names().get(i), URLDecoder.decode(m.group(i + 1), StandardCharsets.UTF_8));
                    }
                    usage.apiRequest();
                    proxy(exchange, route.function(), route.route().routeKey(), path, parameters, body);
                    return;
                }
            }
            respond(exchange, 404, "application/json", "{\"message\":\"Not Found\"}");
        } catch (RuntimeException e) {
            System.err.println("[local] " + e);
            respond(exchange, 500, "application/json", "{\"message\":\"Internal Server Error\"}");
        }
    }

    private static final Pattern CLICK = Pattern.compile("/t/click/([A-Za-z0-9-]+)/(\\d{1,4})");
    private static final Pattern OPEN = Pattern.compile("/t/open/([A-Za-z0-9-]+)");
    /** A transparent 1×1 GIF, as SES's open pixel answers. */
    private static final byte[] PIXEL = Base64.getDecoder().decode("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7");

    /** A tracked link followed ({@code /t/click/…}: SES's Click event, then 302 to the link) or the open pixel fetched (its Open event). */
    private void tracked(HttpExchange exchange, String path) throws IOException {
        String userAgent = exchange.getRequestHeaders().getFirst("User-Agent");
        String ip = exchange.getRemoteAddress().getAddress().getHostAddress();
        Matcher click = CLICK.matcher(path);
        Matcher open = OPEN.matcher(path);
        if (click.matches()) {
            Map<String, String> query = HttpApiEvents.query(exchange.getRequestURI().getRawQuery());
            var to = outbox.byId(click.group(1)).flatMap(sent -> outbox.tracking().click(sent, Integer.parseInt(click.group(2)), query.get("u"),
                    query.get("s"), userAgent, ip));
            if (to.isEmpty()) {
                respond(exchange, 404, "application/json", "{\"message\":\"no such link\"}");
                return;
            }
            exchange.getResponseHeaders().set("Location", to.get());
            exchange.sendResponseHeaders(302, -1);
            return;
        }
        var opened = open.matches() ? outbox.byId(open.group(1)) : java.util.Optional.<LocalOutbox.Sent>empty();
        if (opened.isEmpty()) {
            respond(exchange, 404, "application/json", "{\"message\":\"Not Found\"}");
            return;
        }
        outbox.tracking().open(opened.get(), userAgent, ip);
        exchange.getResponseHeaders().set("Content-Type", "image/gif");
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        exchange.sendResponseHeaders(200, PIXEL.length);
        exchange.getResponseBody().write(PIXEL);
    }

    /** {@code /outbox} lists the emails sent, {@code /outbox/<id>} shows one, {@code /outbox/<id>.eml} is the file, {@code /outbox.json} all as JSON. */
    private void outbox(HttpExchange exchange, String path) throws IOException {
        if (path.equals("/outbox") || path.equals("/outbox/")) {
            respond(exchange, 200, "text/html; charset=utf-8", OutboxPages.list(outbox.all()));
        } else if (path.equals("/outbox.json")) {
            respond(exchange, 200, "application/json", Json.write(outbox.all()));
        } else if (path.endsWith(".eml")) {
            var sent = outbox.byId(path.substring("/outbox/".length(), path.length() - 4));
            if (sent.isEmpty()) {
                respond(exchange, 404, "application/json", "{\"message\":\"no such email\"}");
                return;
            }
            byte[] eml = outbox.eml(sent.get());
            exchange.getResponseHeaders().set("Content-Type", "message/rfc822");
            exchange.sendResponseHeaders(200, eml.length);
            exchange.getResponseBody().write(eml);
        } else {
            var sent = outbox.byId(path.substring("/outbox/".length()));
            if (sent.isEmpty()) respond(exchange, 404, "application/json", "{\"message\":\"no such email\"}");
            else respond(exchange, 200, "text/html; charset=utf-8", OutboxPages.one(sent.get()));
        }
    }

    /**
     * Hands the request to {@code function} as the event AWS would: an HTTP API route's (its key and path parameters), or a
     * function URL's ({@code pathParameters} null: it sends none).
     */
    private void proxy(HttpExchange exchange, String function, String routeKey, String rawPath, Map<String, String> pathParameters, byte[] body)
            throws IOException {
        ObjectNode event = Json.object().put("version", "2.0").put("routeKey", routeKey)
                .put("rawPath", rawPath)
                .put("rawQueryString", exchange.getRequestURI().getRawQuery() == null ? "" : exchange.getRequestURI().getRawQuery());
        ObjectNode headers = event.putObject("headers");
        exchange.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(Locale.ROOT), String.join(",", values)));
        if (pathParameters != null) pathParameters.forEach(event.putObject("pathParameters")::put);
        ObjectNode context = event.putObject("requestContext");
        context.put("routeKey", routeKey).put("stage", "$default").put("requestId", UUID.randomUUID().toString())
                .put("time", REQUEST_TIME.format(clock.instant())).put("timeEpoch", clock.millis());
        context.putObject("http").put("method", exchange.getRequestMethod()).put("path", rawPath)
                .put("protocol", "HTTP/1.1").put("sourceIp", exchange.getRemoteAddress().getAddress().getHostAddress())
                .put("userAgent", exchange.getRequestHeaders().getFirst("User-Agent"));
        // Bodies travel base64-encoded, as API Gateway sends binary-safe payloads: the bytes signed are the bytes checked.
        event.put("body", Base64.getEncoder().encodeToString(body)).put("isBase64Encoded", true);

        JsonNode response = Json.MAPPER.readTree(call(function, Json.write(event).getBytes(StandardCharsets.UTF_8)));
        int status = response.path("statusCode").asInt(500);
        response.path("headers").fields().forEachRemaining(h -> exchange.getResponseHeaders().set(h.getKey(), h.getValue().asText()));
        String out = response.path("body").asText("");
        byte[] bytes = response.path("isBase64Encoded").asBoolean(false) ? Base64.getDecoder().decode(out) : out.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) exchange.getResponseBody().write(bytes);
    }

    /** The Lambda Invoke API, as {@code sam local start-lambda} serves it: the body is the event, the answer the result. */
    private void invoke(HttpExchange exchange, String function, byte[] payload) throws IOException {
        if (!functions.containsKey(function)) {
            respond(exchange, 404, "application/json",
                    Json.write(Map.of("Type", "User", "message", "Function not found: " + function)));
            return;
        }
        byte[] result;
        try {
            result = call(function, payload.length == 0 ? "{}".getBytes(StandardCharsets.UTF_8) : payload);
        } catch (IOException | RuntimeException e) {
            exchange.getResponseHeaders().set("X-Amz-Function-Error", "Unhandled");
            respond(exchange, 200, "application/json", Json.write(Map.of("errorMessage", String.valueOf(e.getMessage()),
                    "errorType", e.getClass().getName())));
            return;
        }
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, result.length == 0 ? -1 : result.length);
        if (result.length > 0) exchange.getResponseBody().write(result);
    }

    /**
     * A text to the shop's number, in the JSON End User Messaging publishes for one (or a delivery receipt, which the
     * same topic carries), handed to SmsFunction as SNS delivers it (one record, the JSON as its {@code Sns.Message}).
     * A body that is not such a message is answered 400.
     */
    private void inboundText(HttpExchange exchange, byte[] body) throws IOException {
        JsonNode message;
        try {
            message = Json.read(new String(body, StandardCharsets.UTF_8), JsonNode.class);
        } catch (RuntimeException notJson) {
            respond(exchange, 400, "application/json", Json.write(Map.of("message", "the body must be the JSON of an inbound text")));
            return;
        }
        if (message == null || !message.isObject()) {
            respond(exchange, 400, "application/json", Json.write(Map.of("message",
                    "an inbound text is an object with originationNumber, destinationNumber, messageBody and inboundMessageId"
                            + " (a delivery receipt: eventType, messageId and the text's context)")));
            return;
        }
        if (!message.has("eventType")) {
            // End User Messaging's own opt-out list hears the keyword first, whatever the function makes of it
            Phones.e164(Json.text(message, "originationNumber"), null)
                    .ifPresent(number -> smsOutbox.heard(number, SmsInbound.InboundText.keywordOf(message)));
        }
        ObjectNode sns = Json.object().put("Type", "Notification").put("MessageId", UUID.randomUUID().toString())
                .put("TopicArn", "arn:aws:sns:" + LocalBus.REGION + ":" + LocalBus.ACCOUNT + ":kindling-sms").put("Message", Json.write(message))
                .put("Timestamp", clock.instant().toString());
        ObjectNode event = Json.object();
        event.putArray("Records").addObject().put("EventSource", "aws:sns").set("Sns", sns);
        try {
            respond(exchange, 200, "application/json", new String(call(SMS_FUNCTION, Json.write(event).getBytes(StandardCharsets.UTF_8)), StandardCharsets.UTF_8));
        } catch (IllegalArgumentException bad) {
            respond(exchange, 400, "application/json", Json.write(Map.of("message", String.valueOf(bad.getMessage()))));
        }
    }

    /** The function template.yaml subscribes to End User Messaging's topic. */
    static final String SMS_FUNCTION = "SmsFunction";

    private byte[] call(String function, byte[] payload) throws IOException {
        return LocalFunctions.invoke(functions.get(function), function, payload);
    }

    private static BoundRoute bind(SamTemplate.HttpRoute route, String function) {
        return new BoundRoute(route, PathPattern.of(route.path()), function);
    }

    /** The body, or null when it is larger than API Gateway would pass on. */
    private static byte[] readBody(InputStream in) throws IOException {
        byte[] bytes = in.readNBytes(MAX_REQUEST_BYTES + 1);
        return bytes.length > MAX_REQUEST_BYTES ? null : bytes;
    }

    private static void respond(HttpExchange exchange, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    @Override
    public void close() {
        server.stop(0);
        workers.shutdownNow();
    }
}
