package dev.kindling.handler.ingest;

import dev.kindling.contact.ContactStore;
import dev.kindling.event.EventPublisher;
import dev.kindling.handler.AwsWiring;
import dev.kindling.handler.http.HttpApiHandler;
import dev.kindling.http.Router;
import dev.kindling.ingest.IngestApi;
import dev.kindling.ingest.Ingestor;
import dev.kindling.shop.ShopDirectory;
import java.time.Clock;

/** IngestFunction: Shopify and WooCommerce webhooks and the Segment-compatible tracking API. */
public final class IngestHandler extends HttpApiHandler {

    /** For Lambda. */
    public IngestHandler() {
        this(AwsWiring.get().shops, AwsWiring.get().contacts, AwsWiring.get().publisher, AwsWiring.get().clock);
    }

    public IngestHandler(ShopDirectory shops, ContactStore contacts, EventPublisher publisher, Clock clock) {
        super(new Router(new IngestApi(shops, new Ingestor(contacts, publisher), clock).routes()));
    }
}
