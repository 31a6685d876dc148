package dev.kindling.handler.email;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kindling.catalog.CatalogLearning;
import dev.kindling.event.EventPublisher.PublishedEvent;
import dev.kindling.handler.AwsWiring;
import dev.kindling.handler.bus.BusEventHandler;
import dev.kindling.json.Json;

/** CatalogFunction: orders, product views and carts teach the catalog that recommendations are made from. */
public final class CatalogHandler extends BusEventHandler {
    private final CatalogLearning learning;

    /** For Lambda. */
    public CatalogHandler() {
        this(AwsWiring.services().catalogLearning());
    }

    public CatalogHandler(CatalogLearning learning) {
        this.learning = learning;
    }

    @Override
    protected ObjectNode handle(String source, String detailType, JsonNode detail, JsonNode envelope) {
        PublishedEvent ingested = Json.MAPPER.convertValue(detail, PublishedEvent.class);
        learning.learn(ingested.shopId(), ingested.event());
        return null;
    }
}
