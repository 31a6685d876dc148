package dev.kindling.handler.score;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kindling.audience.ScoreUpdate;
import dev.kindling.event.EventPublisher.PublishedEvent;
import dev.kindling.handler.AwsWiring;
import dev.kindling.handler.bus.BusEventHandler;
import dev.kindling.json.Json;

/** ScoreFunction: each ingested event scored with the shop's model; publishes score.changed and stage.changed. */
public final class ScoreHandler extends BusEventHandler {
    private final ScoreUpdate scores;

    /** For Lambda. */
    public ScoreHandler() {
        this(AwsWiring.services().scoreUpdate());
    }

    public ScoreHandler(ScoreUpdate scores) {
        this.scores = scores;
    }

    @Override
    protected ObjectNode handle(String source, String detailType, JsonNode detail, JsonNode envelope) {
        PublishedEvent ingested = Json.MAPPER.convertValue(detail, PublishedEvent.class);
        scores.apply(ingested.shopId(), ingested.contactId(), ingested.event());
        return null;
    }
}
