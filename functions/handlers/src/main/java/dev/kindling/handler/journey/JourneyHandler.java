package dev.kindling.handler.journey;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import dev.kindling.handler.AwsWiring;
import dev.kindling.journey.flow.FlowSteps;
import dev.kindling.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * JourneyFunction: each turn of a journey on the flow interpreter ({@link FlowSteps#advance}), the turns one-time schedules
 * invoke (an entry's first after its first wait, the next after a plain wait: {@link FlowSteps#onSchedule}), and its
 * pause's callback task, which records what a wait for an event listens for ({@link FlowSteps#listen}).
 */
public final class JourneyHandler implements RequestStreamHandler {
    private final FlowSteps flows;

    /** For Lambda. */
    public JourneyHandler() {
        this(AwsWiring.services().flowSteps());
    }

    public JourneyHandler(FlowSteps flows) {
        this.flows = flows;
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        JsonNode request = Json.MAPPER.readTree(input);
        String action = request.path("action").asText();
        Json.MAPPER.writeValue(output, switch (action) {
            case "turn" -> flows.advance(request);
            case FlowSteps.SCHEDULED -> flows.onSchedule(request);
            case "listen" -> flows.listen(request);
            default -> throw new IllegalArgumentException("JourneyFunction takes a turn, a scheduled turn or a listen, not " + action);
        });
    }
}
