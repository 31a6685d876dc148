package dev.kindling.handler.http;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import dev.kindling.http.HttpResponse;
import dev.kindling.http.Router;
import dev.kindling.handler.Log;
import dev.kindling.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * A Lambda function behind the HTTP API: reads the API Gateway event, lets the core's router
 * answer, writes the response event. Stream-based so no event library is needed.
 */
public abstract class HttpApiHandler implements RequestStreamHandler {
    private final Router router;

    protected HttpApiHandler(Router router) {
        this.router = router;
    }

    public Router router() {
        return router;
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        JsonNode event = Json.MAPPER.readTree(input);
        HttpResponse response;
        try {
            response = router.handle(HttpApiEvents.toRequest(event));
        } catch (RuntimeException fault) {
            // Ours, not the caller's: log for us, 500 with no detail for them; they retry and every write is idempotent.
            Log.error("request failed", fault, "route", Json.text(event, "routeKey"),
                    "request_id", Json.text(event.path("requestContext"), "requestId"));
            response = HttpResponse.error(500, "internal_error", "the request could not be completed; retry it");
        }
        Json.MAPPER.writeValue(output, HttpApiEvents.toEvent(response));
    }
}
