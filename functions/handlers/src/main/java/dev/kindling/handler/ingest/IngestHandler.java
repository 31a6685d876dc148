package dev.kindling.handler.ingest;

import dev.kindling.handler.AwsWiring;
import dev.kindling.handler.http.HttpApiHandler;
import dev.kindling.http.Router;
import dev.kindling.ingest.IngestApi;

/** IngestFunction: Shopify and WooCommerce webhooks and the Segment-compatible tracking API. */
public final class IngestHandler extends HttpApiHandler {

    /** For Lambda. */
    public IngestHandler() {
        this(AwsWiring.services().ingestApi());
    }

    public IngestHandler(IngestApi api) {
        super(new Router(api.routes()));
    }
}
