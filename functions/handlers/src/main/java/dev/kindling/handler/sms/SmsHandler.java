package dev.kindling.handler.sms;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kindling.engagement.SmsInbound;
import dev.kindling.handler.AwsWiring;
import dev.kindling.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * SmsFunction: the SNS topic End User Messaging publishes to (inbound texts of two-way SMS, and the configuration
 * set's delivery receipts). Each record's {@code Sns.Message} is one JSON message. A failure is thrown, so SNS's
 * retries take over; handling a message twice changes nothing (its inbound id, or its receipt's id, is its key).
 */
public final class SmsHandler implements RequestStreamHandler {
    private final SmsInbound inbound;

    /** For Lambda. */
    public SmsHandler() {
        this(AwsWiring.services().smsInbound());
    }

    public SmsHandler(SmsInbound inbound) {
        this.inbound = inbound;
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        JsonNode event = Json.MAPPER.readTree(input);
        ArrayNode outcomes = Json.MAPPER.createArrayNode();
        for (JsonNode record : event.path("Records")) {
            String message = record.path("Sns").path("Message").asText(null);
            if (message == null) throw new IllegalArgumentException("an SNS record needs Sns.Message");
            inbound.handle(Json.read(message, JsonNode.class)).forEach(o -> outcomes.add(o.name()));
        }
        ObjectNode result = Json.object();
        result.set("outcomes", outcomes);
        Json.MAPPER.writeValue(output, result);
    }
}
