package dev.kindling.handler.journey;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kindling.journey.flow.FlowSteps;
import dev.kindling.lazy.Lazy;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import dev.kindling.handler.AwsWiring;
import dev.kindling.handler.Services;
import dev.kindling.journey.JourneySteps;
import dev.kindling.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * JourneyFunction: the decisions the shipped journeys' state machines delegate (enter, check, consent, fulfilled, NPS,
 * support, exit), and each turn of a journey a shop wrote ({@link FlowSteps}).
 */
public final class JourneyHandler implements RequestStreamHandler {
    private final JourneySteps steps;
    private final Lazy<FlowSteps> flows;

    /** For Lambda. */
    public JourneyHandler() {
        this(AwsWiring.services());
    }

    public JourneyHandler(Services services) {
        this.steps = services.journeySteps();
        this.flows = Lazy.of(services::flowSteps);
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        JsonNode request = Json.MAPPER.readTree(input);
        // a written journey's turn (flow.asl.json), or a step the shipped journeys delegate
        Json.MAPPER.writeValue(output, "turn".equals(request.path("action").asText()) ? flows.get().advance(request) : steps.handle(request));
    }
}
