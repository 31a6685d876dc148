package dev.kindling.handler.journey;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kindling.event.BusEvent;
import dev.kindling.event.EventPublisher.PublishedEvent;
import dev.kindling.handler.AwsWiring;
import dev.kindling.handler.bus.BusEventHandler;
import dev.kindling.journey.JourneyStarter;
import dev.kindling.journey.flow.Flow;
import dev.kindling.json.Json;
import java.util.ArrayList;
import java.util.List;

/**
 * JourneyStartFunction: starts the journeys an event, a segment change or a date calls for, named so a repeat starts
 * nothing; an event first ends the running journeys it is the goal of, and answers those waiting for it.
 */
public final class JourneyStartHandler extends BusEventHandler {
    private final JourneyStarter starter;

    /** For Lambda. */
    public JourneyStartHandler() {
        this(AwsWiring.services().journeyStarter());
    }

    public JourneyStartHandler(JourneyStarter starter) {
        this.starter = starter;
    }

    @Override
    protected ObjectNode handle(String source, String detailType, JsonNode detail, JsonNode envelope) {
        ObjectNode result = Json.object();
        List<JourneyStarter.Started> started = new ArrayList<>();
        switch (detailType) {
            case BusEvent.EVENT_INGESTED -> {
                PublishedEvent ingested = Json.MAPPER.convertValue(detail, PublishedEvent.class);
                List<Flow> flows = starter.flows(ingested.shopId());
                JourneyStarter.Reached reached = starter.reachRunning(ingested.shopId(), ingested.contactId(), ingested.event(), flows);
                if (!reached.stopped().isEmpty()) result.set("ended", Json.MAPPER.valueToTree(reached.stopped()));
                if (!reached.resumed().isEmpty()) result.set("resumed", Json.MAPPER.valueToTree(reached.resumed()));
                started.addAll(starter.flowsOnEvent(ingested.shopId(), ingested.contactId(), ingested.event(), flows));
            }
            case BusEvent.SEGMENT_ENTERED, BusEvent.SEGMENT_EXITED -> {
                String shopId = detail.path("shopId").asText();
                String contactId = detail.path("contactId").asText();
                String segmentId = detail.path("segmentId").asText();
                boolean entered = BusEvent.SEGMENT_ENTERED.equals(detailType);
                // a membership imported history moved starts nothing (the rule leaves these out on AWS; this holds it anywhere)
                if (!detail.path(BusEvent.HISTORICAL).asBoolean()) started.addAll(starter.flowsOnSegment(shopId, contactId, segmentId, entered, detail.path("at").asText(null)));
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
