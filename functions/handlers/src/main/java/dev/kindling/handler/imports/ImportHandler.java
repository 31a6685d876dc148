package dev.kindling.handler.imports;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import dev.kindling.handler.AwsWiring;
import dev.kindling.imports.ImportSteps;
import dev.kindling.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * ImportFunction: the steps of the import state machine ({@link ImportSteps}): prepare an import's batches, run one
 * batch (the Distributed Map's child, several at once), finish.
 */
public final class ImportHandler implements RequestStreamHandler {
    private final ImportSteps steps;

    /** For Lambda. */
    public ImportHandler() {
        this(AwsWiring.services().importSteps());
    }

    public ImportHandler(ImportSteps steps) {
        this.steps = steps;
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        JsonNode request = Json.MAPPER.readTree(input);
        Json.MAPPER.writeValue(output, steps.run(request));
    }
}
