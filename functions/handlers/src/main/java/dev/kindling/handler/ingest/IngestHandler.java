package dev.kindling.handler.ingest;

import dev.kindling.handler.AwsWiring;
import dev.kindling.handler.Services;
import dev.kindling.handler.http.HttpApiHandler;
import dev.kindling.http.Router;
import dev.kindling.ingest.IngestApi;

/** IngestFunction: Shopify and WooCommerce webhooks and the Segment-compatible tracking API. */
public final class IngestHandler extends HttpApiHandler {

    /** For Lambda. */
    public IngestHandler() {
        this(AwsWiring.services());
    }

    public IngestHandler(Services services) {
        super(new Router(new IngestApi(services.shops(), services.ingestor(), services.signUpLimits(), services.clock()).routes()));
    }
}
