package dev.kindling.handler.segment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kindling.audience.SegmentEvaluation;
import dev.kindling.event.BusEvent;
import dev.kindling.handler.AwsWiring;
import dev.kindling.handler.bus.BusEventHandler;
import dev.kindling.json.Json;
import dev.kindling.segment.ContactChange;
import java.util.HashSet;
import java.util.Set;

/**
 * SegmentFunction: re-evaluates the segments a score change or a stage change can affect, and publishes
 * segment.entered / segment.exited. Those an ingested event can affect EventFunction settles.
 */
public final class SegmentHandler extends BusEventHandler {
    private final SegmentEvaluation segments;

    /** For Lambda. */
    public SegmentHandler() {
        this(AwsWiring.services().segmentEvaluation());
    }

    public SegmentHandler(SegmentEvaluation segments) {
        this.segments = segments;
    }

    @Override
    protected ObjectNode handle(String source, String detailType, JsonNode detail, JsonNode envelope) {
        String shopId = detail.path("shopId").asText();
        String contactId = detail.path("contactId").asText();
        ContactChange change = switch (detailType) {
            case BusEvent.SCORE_CHANGED -> {
                Set<String> groups = new HashSet<>();
                detail.path("scores").fieldNames().forEachRemaining(groups::add);
                yield ContactChange.scores(groups, detail.path(BusEvent.HISTORICAL).asBoolean());
            }
            case BusEvent.STAGE_CHANGED -> ContactChange.stageChanged(detail.path(BusEvent.HISTORICAL).asBoolean());
            default -> throw new IllegalArgumentException("SegmentFunction does not handle " + detailType);
        };
        var outcome = segments.onChange(shopId, contactId, change);
        ObjectNode result = Json.object();
        result.set("entered", Json.MAPPER.valueToTree(outcome.entered()));
        result.set("exited", Json.MAPPER.valueToTree(outcome.exited()));
        return result;
    }
}
