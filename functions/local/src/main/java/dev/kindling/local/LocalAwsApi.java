package dev.kindling.local;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kindling.event.BusEvent;
import dev.kindling.journey.asl.Execution;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kindling.json.Json;
import dev.kindling.send.EmailSender;
import dev.kindling.send.EmailSender.OutgoingEmail;
import dev.kindling.send.SmsSender;
import dev.kindling.shop.Shop;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequestEntry;

/**
 * The AWS calls the functions make, other than DynamoDB's, answered by the local runtime's own
 * parts, so that a function run from its sam build artifact ({@code bin/kindling invoke}) with
 * {@code AWS_ENDPOINT_URL_*} pointed here works with the running runtime as it would with AWS:
 * EventBridge {@code PutEvents} routes on the local bus, SSM {@code GetParametersByPath} answers
 * the runtime's shops, Step Functions {@code StartExecution} starts a local journey, and SES v2
 * {@code SendEmail} / {@code GetAccount} go to the outbox, End User Messaging's {@code SendTextMessage} to the SMS outbox, and S3 {@code PutObject} / {@code DeleteObject} on the
 * exports bucket to the runtime's exports folder. The wire shapes are AWS's (JSON 1.0 / 1.1
 * with X-Amz-Target, and SES v2's REST paths); requests are not signature-checked (loopback only).
 */
final class LocalAwsApi {
    /** An answer: status and JSON body. */
    record Answer(int status, String body) {}

    private final LocalBus bus;
    private final List<Shop> shops;
    private final LocalJourneys journeys;
    private final EmailSender email;
    private final LocalSmsOutbox texts;
    private final String shopsPath;

    private final LocalExportFiles exports;

    /** @param shopsPath where an invoked function looks for the shops (its SHOPS_PARAMETER_PATH) */
    LocalAwsApi(LocalBus bus, List<Shop> shops, LocalJourneys journeys, EmailSender email, LocalSmsOutbox texts, LocalExportFiles exports, String shopsPath) {
        this.texts = texts;
        this.exports = exports;
        this.shopsPath = shopsPath;
        this.bus = bus;
        this.shops = List.copyOf(shops);
        this.journeys = journeys;
        this.email = email;
    }

    /** The answer to an AWS API request, or null when the request is not one (the server's other routes take it). */
    Answer answer(String method, String path, String target, byte[] body) {
        if (path.startsWith("/" + LocalExportFiles.BUCKET + "/") && (method.equals("PUT") || method.equals("DELETE"))) {
            // S3 PutObject and DeleteObject, path-style, into the local exports bucket
            String key = path.substring(LocalExportFiles.BUCKET.length() + 2);
            if (method.equals("DELETE")) {
                exports.delete(key);
                return new Answer(204, "");
            }
            return exports.put(key, body) ? new Answer(200, "") : new Answer(403, "{\"message\":\"AccessDenied: only exports/<shop>/<contact>.json\"}");
        }
        if (target != null && method.equals("POST") && path.equals("/")) {
            JsonNode request = body.length == 0 ? Json.object() : Json.read(new String(body, StandardCharsets.UTF_8), JsonNode.class);
            return switch (target) {
                case "AWSEvents.PutEvents" -> putEvents(request);
                case "AmazonSSM.GetParametersByPath" -> parametersByPath(request);
                case "AWSStepFunctions.StartExecution" -> startExecution(request);
                case "PinpointSMSVoiceV2.SendTextMessage" -> sendTextMessage(request);
                case "AWSStepFunctions.StopExecution" -> stopExecution(request);
                case "AWSStepFunctions.DescribeExecution" -> describeExecution(request);
                case "AWSStepFunctions.ListExecutions" -> listExecutions(request);
                case "AWSStepFunctions.SendTaskSuccess" -> journeys.resume(null, request.path("taskToken").asText(),
                        Json.read(request.path("output").asText("{}"), JsonNode.class))
                        ? new Answer(200, "{}") : error(400, "TaskTimedOut", "Task Timed Out: '" + request.path("taskToken").asText() + "'");
                default -> error(400, "UnknownOperationException", target + " is not served by the local runtime");
            };
        }
        if (path.equals("/v2/email/outbound-emails") && method.equals("POST")) {
            return sendEmail(Json.read(new String(body, StandardCharsets.UTF_8), JsonNode.class));
        }
        if (path.equals("/v2/email/account") && method.equals("GET")) {
            ObjectNode account = Json.object().put("ProductionAccessEnabled", true).put("SendingEnabled", true);
            account.putObject("SendQuota").put("Max24HourSend", 50_000).put("MaxSendRate", email.maxSendRate()).put("SentLast24Hours", 0);
            return new Answer(200, Json.write(account));
        }
        return null;
    }

    private Answer putEvents(JsonNode request) {
        ArrayNode entries = Json.MAPPER.createArrayNode();
        int bytes = 0;
        for (JsonNode e : request.path("Entries")) {
            bytes += BusEvent.entryBytes(e.path("Source").asText(), e.path("DetailType").asText(), e.hasNonNull("Time"), e.path("Detail").asText(null));
        }
        if (request.path("Entries").size() > BusEvent.MAX_ENTRIES || bytes >= BusEvent.MAX_ENTRIES_BYTES) {
            // as EventBridge answers a request over its limits: the whole request is refused, nothing is delivered
            return new Answer(400, Json.write(Json.object().put("__type", "ValidationException")
                    .put("message", "Total size of the entries in the request is over the limit.")));
        }
        for (JsonNode e : request.path("Entries")) {
            PutEventsRequestEntry.Builder entry = PutEventsRequestEntry.builder().source(e.path("Source").asText())
                    .detailType(e.path("DetailType").asText()).detail(e.path("Detail").asText("{}"))
                    .eventBusName(e.path("EventBusName").asText(null));
            if (e.hasNonNull("Time")) entry.time(Instant.ofEpochMilli((long) (e.get("Time").asDouble() * 1000)));
            bus.put(entry.build());
            entries.addObject().put("EventId", UUID.randomUUID().toString());
        }
        ObjectNode answer = Json.object().put("FailedEntryCount", 0);
        answer.set("Entries", entries);
        return new Answer(200, Json.write(answer));
    }

    private Answer parametersByPath(JsonNode request) {
        if (!request.path("Path").asText().equals(shopsPath)) return new Answer(200, "{\"Parameters\":[]}");
        ArrayNode parameters = Json.MAPPER.createArrayNode();
        for (Shop shop : shops) {
            parameters.addObject().put("Name", shopsPath + "/" + shop.id()).put("Type", "SecureString").put("Value", Json.write(shop));
        }
        ObjectNode answer = Json.object();
        answer.set("Parameters", parameters);
        return new Answer(200, Json.write(answer));
    }

    /** The state machine ARN an invoked function gets for a journey (JOURNEY_ARN_*): its name is the journey's id. */
    static String stateMachineArn(String journey) {
        return "arn:aws:states:" + LocalBus.REGION + ":" + LocalBus.ACCOUNT + ":stateMachine:" + journey;
    }

    private Answer startExecution(JsonNode request) {
        String arn = request.path("stateMachineArn").asText();
        String journey = arn.substring(arn.lastIndexOf(':') + 1);
        String name = request.path("name").asText(UUID.randomUUID().toString());
        boolean started = journeys.start(journey, name, Json.read(request.path("input").asText("{}"), JsonNode.class));
        if (!started) return error(400, "ExecutionAlreadyExists", "Execution Already Exists: '" + name + "'");
        ObjectNode answer = Json.object().put("executionArn", arn.replace(":stateMachine:", ":execution:") + ":" + name)
                .put("startDate", Instant.now().getEpochSecond());
        return new Answer(200, Json.write(answer));
    }

    private Answer stopExecution(JsonNode request) {
        String arn = request.path("executionArn").asText();
        Execution e = journeys.execution(arn.substring(arn.lastIndexOf(':') + 1));
        if (e == null) return error(400, "ExecutionDoesNotExist", "Execution Does Not Exist: '" + arn + "'");
        journeys.stop(e.machine, e.name, request.path("error").asText(null), request.path("cause").asText(null));
        return new Answer(200, Json.write(Json.object().put("stopDate", Instant.now().getEpochSecond())));
    }

    private Answer describeExecution(JsonNode request) {
        String arn = request.path("executionArn").asText();
        Execution e = journeys.execution(arn.substring(arn.lastIndexOf(':') + 1));
        if (e == null) return error(400, "ExecutionDoesNotExist", "Execution Does Not Exist: '" + arn + "'");
        ObjectNode answer = summary(e);
        answer.put("input", Json.write(e.input));
        if (e.output() != null) answer.put("output", Json.write(e.output()));
        if (e.error() != null) answer.put("error", e.error()).put("cause", e.cause());
        return new Answer(200, Json.write(answer));
    }

    /** ListExecutions of one state machine, optionally by status; every one in a single page (a local runtime holds few). */
    private Answer listExecutions(JsonNode request) {
        String arn = request.path("stateMachineArn").asText();
        String journey = arn.substring(arn.lastIndexOf(':') + 1);
        String status = request.path("statusFilter").asText(null);
        ArrayNode list = Json.MAPPER.createArrayNode();
        journeys.executions().stream().filter(e -> e.machine.equals(journey))
                .filter(e -> status == null || awsStatus(e).equals(status))
                .sorted(Comparator.comparing((Execution e) -> e.startTime).reversed())
                .forEach(e -> list.add(summary(e)));
        ObjectNode answer = Json.object();
        answer.set("executions", list);
        return new Answer(200, Json.write(answer));
    }

    private static ObjectNode summary(Execution e) {
        String machineArn = stateMachineArn(e.machine);
        ObjectNode o = Json.object().put("executionArn", machineArn.replace(":stateMachine:", ":execution:") + ":" + e.name)
                .put("stateMachineArn", machineArn).put("name", e.name).put("status", awsStatus(e))
                .put("startDate", e.startTime.toEpochMilli() / 1000.0);
        return o;
    }

    /** Step Functions' status: a waiting execution is RUNNING there. */
    private static String awsStatus(Execution e) {
        return e.status() == Execution.Status.WAITING ? "RUNNING" : e.status().name();
    }

    private Answer sendEmail(JsonNode request) {
        JsonNode simple = request.path("Content").path("Simple");
        if (simple.isMissingNode()) return error(400, "BadRequestException", "the local runtime sends Simple content only (as SendFunction does)");
        List<EmailSender.Header> headers = new ArrayList<>();
        for (JsonNode h : simple.path("Headers")) headers.add(new EmailSender.Header(h.path("Name").asText(), h.path("Value").asText()));
        Map<String, String> tags = new LinkedHashMap<>();
        for (JsonNode t : request.path("EmailTags")) tags.put(t.path("Name").asText(), t.path("Value").asText());
        JsonNode replyTo = request.path("ReplyToAddresses");
        String messageId = email.send(new OutgoingEmail(UUID.randomUUID().toString(), request.path("FromEmailAddress").asText(),
                replyTo.isArray() && !replyTo.isEmpty() ? replyTo.get(0).asText() : null,
                request.path("Destination").path("ToAddresses").path(0).asText(), simple.path("Subject").path("Data").asText(),
                simple.path("Body").path("Html").path("Data").asText(), simple.path("Body").path("Text").path("Data").asText(),
                headers, tags, request.path("ConfigurationSetName").asText(null)));
        return new Answer(200, Json.write(Json.object().put("MessageId", messageId)));
    }

    /** SendTextMessage as End User Messaging checks it: an E.164 destination, a body of 1 to 1,600 characters, an identity. */
    private Answer sendTextMessage(JsonNode request) {
        String to = request.path("DestinationPhoneNumber").asText("");
        String body = request.path("MessageBody").asText("");
        if (!to.matches("\\+[1-9][0-9]{1,14}")) return error(400, "ValidationException", "DestinationPhoneNumber must be E.164");
        if (body.isEmpty() || body.length() > 1600) return error(400, "ValidationException", "MessageBody must be 1 to 1600 characters");
        if (request.path("OriginationIdentity").asText("").isEmpty()) return error(400, "ValidationException", "OriginationIdentity is required");
        if (texts.isOptedOut(to)) {
            return new Answer(400, Json.write(Json.object().put("__type", "ConflictException").put("Reason", SmsSender.OPTED_OUT)
                    .put("message", "the destination phone number is on the account's opt-out list")));
        }
        Map<String, String> context = new LinkedHashMap<>();
        request.path("Context").properties().forEach(e -> context.put(e.getKey(), e.getValue().asText()));
        String id = texts.send(to, body, request.path("MessageType").asText("TRANSACTIONAL"), request.path("OriginationIdentity").asText(), context);
        return new Answer(200, Json.write(Json.object().put("MessageId", id)));
    }

    private static Answer error(int status, String type, String message) {
        return new Answer(status, Json.write(Json.object().put("__type", type).put("message", message)));
    }
}
