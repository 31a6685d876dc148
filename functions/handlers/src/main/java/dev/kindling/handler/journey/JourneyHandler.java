package dev.kindling.handler.journey;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import dev.kindling.handler.AwsWiring;
import dev.kindling.handler.Services;
import dev.kindling.journey.JourneySteps;
import dev.kindling.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/** JourneyFunction: the decisions the journeys' state machines delegate (enter, check, consent, fulfilled, NPS, support, exit). */
public final class JourneyHandler implements RequestStreamHandler {
    private final JourneySteps steps;

    /** For Lambda. */
    public JourneyHandler() {
        this(AwsWiring.services());
    }

    public JourneyHandler(Services services) {
        this.steps = services.journeySteps();
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        Json.MAPPER.writeValue(output, steps.handle(Json.MAPPER.readTree(input)));
    }
}
