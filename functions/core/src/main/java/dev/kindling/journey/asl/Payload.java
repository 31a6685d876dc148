package dev.kindling.journey.asl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kindling.json.Json;

/** A payload template (Parameters, ResultSelector): fields ending in {@code .$} take a path's value or an intrinsic's result. */
final class Payload {
    private Payload() {}

    static JsonNode evaluate(JsonNode template, JsonNode input, JsonNode context) {
        if (template.isObject()) {
            ObjectNode out = Json.object();
            template.properties().forEach(e -> {
                String key = e.getKey();
                if (key.endsWith(".$")) {
                    String expression = e.getValue().asText();
                    JsonNode value = Intrinsics.isCall(expression) ? Intrinsics.evaluate(expression, input, context)
                            : Paths.read(expression, input, context);
                    out.set(key.substring(0, key.length() - 2), value);
                } else {
                    out.set(key, evaluate(e.getValue(), input, context));
                }
            });
            return out;
        }
        if (template.isArray()) {
            ArrayNode out = Json.MAPPER.createArrayNode();
            template.forEach(item -> out.add(evaluate(item, input, context)));
            return out;
        }
        return template;
    }
}
