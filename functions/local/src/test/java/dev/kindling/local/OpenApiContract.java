package dev.kindling.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.kindling.admin.AdminApiDescription;
import dev.kindling.json.Json;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * The admin API held to its OpenAPI description ({@link AdminApiDescription}) by every test that calls it: a request the
 * description refuses (an unknown or malformed parameter, a body its schema does not take) must be refused (4xx), and
 * every answer must have a status the operation describes and a body its schema takes. Schemas are JSON Schema 2020-12,
 * OpenAPI 3.1's dialect, checked by networknt's validator.
 */
final class OpenApiContract {
    static final JsonNode DOCUMENT = AdminApiDescription.document();
    private static final SchemaRegistry REGISTRY = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);
    private static final Map<String, Schema> SCHEMAS = new ConcurrentHashMap<>();

    private OpenApiContract() {}

    /** A described operation: its path template, and the path item and operation objects. */
    record Operation(String template, JsonNode pathItem, JsonNode operation, String pointer) {}

    /** The path templates, literal ones before those with parameters (as the router matches them). */
    static List<String> templates() {
        List<String> all = new ArrayList<>();
        DOCUMENT.path("paths").fieldNames().forEachRemaining(all::add);
        all.sort(Comparator.comparingLong((String t) -> t.chars().filter(c -> c == '{').count()));
        return all;
    }

    static Optional<String> template(String path) {
        return templates().stream().filter(t -> Pattern.matches(t.replaceAll("\\{[^}]+}", "[^/]+"), path)).findFirst();
    }

    static Optional<Operation> operation(String method, String path) {
        return template(path).flatMap(t -> {
            JsonNode item = DOCUMENT.path("paths").path(t);
            String m = method.toLowerCase();
            return item.has(m) ? Optional.of(new Operation(t, item, item.get(m), "/paths/" + escape(t) + "/" + m)) : Optional.empty();
        });
    }

    /** Throws when the exchange breaks the description, saying how. */
    static void check(String method, URI uri, String requestType, String requestBody, int status, String responseBody) {
        List<String> broken = violations(method, uri, requestType, requestBody, status, responseBody);
        if (!broken.isEmpty()) {
            throw new AssertionError(method + " " + uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery()) + " answered " + status
                    + " against the admin API's OpenAPI description:\n  " + String.join("\n  ", broken) + "\n  answer: "
                    + (responseBody.length() > 400 ? responseBody.substring(0, 400) + "…" : responseBody));
        }
    }

    static List<String> violations(String method, URI uri, String requestType, String requestBody, int status, String responseBody) {
        String path = uri.getRawPath();
        if (!path.startsWith("/admin/") && !path.equals("/admin")) return List.of();
        Optional<Operation> found = operation(method, path);
        if (found.isEmpty()) {
            // an undescribed route is one the API does not have
            return status == 404 || status == 405 ? List.of() : List.of("no operation " + method + " " + path + " is described");
        }
        Operation op = found.get();
        List<String> request = requestProblems(op, path, uri.getRawQuery(), requestType, requestBody);
        List<String> broken = new ArrayList<>();
        if (!request.isEmpty() && (status < 400 || status >= 500)) {
            broken.add("the description refuses the request (" + String.join("; ", request) + ") but the API answered " + status);
        }
        JsonNode responses = op.operation().path("responses");
        String code = String.valueOf(status);
        if (!responses.has(code) && !responses.has("default")) {
            broken.add("status " + status + " is not described for " + method.toUpperCase() + " " + op.template());
            return broken;
        }
        JsonNode described = responses.has(code) ? responses.get(code) : responses.get("default");
        String responseAt = described.has("$ref") ? refOf(described) : op.pointer() + "/responses/" + (responses.has(code) ? code : "default");
        if (resolve(described).path("content").has("application/json") && !responseBody.isEmpty() && looksLikeJson(responseBody)) {
            for (String error : validate(responseAt + "/content/application~1json/schema", responseBody)) broken.add("answer: " + error);
        }
        return broken;
    }

    private static List<String> requestProblems(Operation op, String path, String rawQuery, String requestType, String body) {
        List<String> problems = new ArrayList<>();
        List<JsonNode> parameters = new ArrayList<>();
        op.pathItem().path("parameters").forEach(p -> parameters.add(resolve(p)));
        op.operation().path("parameters").forEach(p -> parameters.add(resolve(p)));
        Map<String, String> query = new LinkedHashMap<>();
        if (rawQuery != null && !rawQuery.isEmpty()) {
            for (String pair : rawQuery.split("&")) {
                String[] kv = pair.split("=", 2);
                query.put(URLDecoder.decode(kv[0], StandardCharsets.UTF_8), kv.length > 1 ? URLDecoder.decode(kv[1], StandardCharsets.UTF_8) : "");
            }
        }
        for (String name : query.keySet()) {
            if (parameters.stream().noneMatch(p -> p.path("in").asText().equals("query") && p.path("name").asText().equals(name))) {
                problems.add("query parameter " + name + " is not described");
            }
        }
        String[] templateParts = op.template().split("/"), pathParts = path.split("/");
        for (JsonNode p : parameters) {
            String name = p.path("name").asText();
            String value = switch (p.path("in").asText()) {
                case "query" -> query.get(name);
                case "path" -> {
                    int i = List.of(templateParts).indexOf("{" + name + "}");
                    yield i >= 0 && i < pathParts.length ? URLDecoder.decode(pathParts[i], StandardCharsets.UTF_8) : null;
                }
                default -> null;
            };
            if (value == null) {
                if (p.path("required").asBoolean()) problems.add(p.path("in").asText() + " parameter " + name + " is required");
                continue;
            }
            JsonNode schema = p.path("schema");
            // a parameter is text on the wire: an integer one must read as a number, then its schema sees the number
            boolean integer = schema.path("type").asText().equals("integer");
            if (integer && !value.matches("-?\\d{1,18}")) {
                problems.add(name + ": not an integer");
                continue;
            }
            for (String error : validate(schema, integer ? value : Json.write(value))) problems.add(name + ": " + error);
        }
        JsonNode requestBody = resolve(op.operation().path("requestBody"));
        boolean sent = body != null && !body.isEmpty();
        if (requestBody.isMissingNode()) return problems;
        if (!sent) {
            if (requestBody.path("required").asBoolean()) problems.add("the body is required");
            return problems;
        }
        String type = requestType == null ? "application/json" : requestType.toLowerCase();
        if (type.contains("yaml") || type.contains("octet-stream") || type.contains("csv")) return problems;
        if (!looksLikeJson(body)) {
            problems.add("the body is not JSON");
            return problems;
        }
        if (requestBody.path("content").has("application/json")) {
            String at = (op.operation().path("requestBody").has("$ref") ? refOf(op.operation().path("requestBody")) : op.pointer() + "/requestBody")
                    + "/content/application~1json/schema";
            for (String error : validate(at, body)) problems.add("body: " + error);
        }
        return problems;
    }

    private static boolean looksLikeJson(String text) {
        try {
            Json.MAPPER.readTree(text);
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    /** A $ref'd object resolved in the document; anything else as it is. */
    static JsonNode resolve(JsonNode node) {
        return node.has("$ref") ? DOCUMENT.at(refOf(node)) : node;
    }

    private static String refOf(JsonNode node) {
        return node.path("$ref").asText().substring(1);
    }

    private static String escape(String token) {
        return token.replace("~", "~0").replace("/", "~1");
    }

    /** The instance checked against the schema at this pointer of the document (whose $refs resolve in the document). */
    private static List<String> validate(String pointer, String instance) {
        return errors(pointer, () -> ((ObjectNode) DOCUMENT).deepCopy().put("$ref", "#" + pointer), instance);
    }

    /** The instance checked against a schema written in place (a parameter's), which refers to nothing else. */
    private static List<String> validate(JsonNode schema, String instance) {
        return errors("inline:" + Json.write(schema), () -> ((ObjectNode) schema).deepCopy(), instance);
    }

    /** The schema compiled once per key, as JSON Schema 2020-12, and what it finds wrong with the instance. */
    private static List<String> errors(String key, Supplier<ObjectNode> root, String instance) {
        Schema schema = SCHEMAS.computeIfAbsent(key, k -> REGISTRY.getSchema(
                Json.write(root.get().put("$schema", "https://json-schema.org/draft/2020-12/schema")), InputFormat.JSON));
        return schema.validate(instance, InputFormat.JSON).stream().map(Object::toString).toList();
    }
}
