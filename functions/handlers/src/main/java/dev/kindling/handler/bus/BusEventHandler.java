package dev.kindling.handler.bus;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kindling.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * A function an EventBridge rule invokes: reads the event envelope and hands its source,
 * detail-type and detail on. A failure is thrown, so Lambda's asynchronous retries (and then the
 * function's dead-letter queue) take over; every handler is safe to run twice.
 */
public abstract class BusEventHandler implements RequestStreamHandler {

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        JsonNode envelope = Json.MAPPER.readTree(input);
        JsonNode result = handle(envelope.path("source").asText(), envelope.path("detail-type").asText(), envelope.path("detail"), envelope);
        Json.MAPPER.writeValue(output, result == null ? Json.object() : result);
    }

    /** @param envelope the whole invocation payload (a scheduler's input is not an EventBridge envelope) */
    protected abstract ObjectNode handle(String source, String detailType, JsonNode detail, JsonNode envelope);
}
