package dev.kindling.handler.journey;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kindling.event.BusEvent;
import dev.kindling.event.EventPublisher.PublishedEvent;
import dev.kindling.handler.AwsWiring;
import dev.kindling.handler.Services;
import dev.kindling.handler.bus.BusEventHandler;
import dev.kindling.journey.JourneyStarter;
import dev.kindling.journey.flow.Flow;
import dev.kindling.json.Json;
import java.util.ArrayList;
import java.util.List;

/**
 * JourneyStartFunction: starts the journey an event or a segment entry calls for, named so a repeat starts nothing;
 * an order first ends the journeys it is the goal of, at once.
 */
public final class JourneyStartHandler extends BusEventHandler {
    private final JourneyStarter starter;

    /** For Lambda. */
    public JourneyStartHandler() {
        this(AwsWiring.services());
    }

    public JourneyStartHandler(Services services) {
        this.starter = services.journeyStarter();
    }

    @Override
    protected ObjectNode handle(String source, String detailType, JsonNode detail, JsonNode envelope) {
        ObjectNode result = Json.object();
        List<JourneyStarter.Started> started = new ArrayList<>();
        switch (detailType) {
            case BusEvent.EVENT_INGESTED -> {
                PublishedEvent ingested = Json.MAPPER.convertValue(detail, PublishedEvent.class);
                List<Flow> flows = starter.flows(ingested.shopId());
                List<String> ended = starter.endAtGoals(ingested.shopId(), ingested.contactId(), ingested.event(), flows);
                if (!ended.isEmpty()) result.set("ended", Json.MAPPER.valueToTree(ended));
                starter.onEvent(ingested.shopId(), ingested.contactId(), ingested.event()).ifPresent(started::add);
                started.addAll(starter.flowsOnEvent(ingested.shopId(), ingested.contactId(), ingested.event(), flows));
            }
            case BusEvent.SEGMENT_ENTERED, BusEvent.SEGMENT_EXITED -> {
                String shopId = detail.path("shopId").asText();
                String contactId = detail.path("contactId").asText();
                String segmentId = detail.path("segmentId").asText();
                boolean entered = BusEvent.SEGMENT_ENTERED.equals(detailType);
                if (entered) starter.onSegmentEntered(shopId, contactId, segmentId, detail.path("at").asText(null)).ifPresent(started::add);
                started.addAll(starter.flowsOnSegment(shopId, contactId, segmentId, entered, detail.path("at").asText(null)));
            }
            case JourneyStarter.JOURNEY_DUE -> starter.flowDue(detail.path("shopId").asText(), detail.path("contactId").asText(),
                    detail.path("journey").asText(), detail.path("key").asText(), detail.path("due").asText()).ifPresent(started::add);
            default -> throw new IllegalArgumentException("JourneyStartFunction does not handle " + detailType);
        }
        var list = result.putArray("started");
        started.forEach(s -> list.addObject().put("journey", s.journey()).put("execution", s.executionName()).put("started", s.started()));
        return result;
    }
}
