package dev.kindling.handler.email;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kindling.aws.dynamodb.TableStream;
import dev.kindling.engagement.SesEvents;
import dev.kindling.handler.AwsWiring;
import dev.kindling.handler.bus.BusEventHandler;
import dev.kindling.json.Json;

/**
 * EngagementFunction: SES's email events (source aws.ses, on the default bus) for the message log, suppression and scoring;
 * and the counts their marks decided (and texts' receipts' and taps'), from batches of the table's stream
 * ({@link TableStream}), into the day's counters.
 */
public final class EngagementHandler extends BusEventHandler {
    private final SesEvents events;

    /** For Lambda. */
    public EngagementHandler() {
        this(AwsWiring.services().sesEvents());
    }

    public EngagementHandler(SesEvents events) {
        this.events = events;
    }

    @Override
    protected ObjectNode handle(String source, String detailType, JsonNode detail, JsonNode envelope) {
        if (TableStream.isBatch(envelope)) {
            // a batch of the table's stream: counted together, one transaction; a failure retries the batch
            TableStream.Batch batch = TableStream.read(envelope);
            events.counted(batch.messageCounts());
            return Json.object().put("outcome", "counted").put("marks", batch.messageCounts().values().stream().mapToInt(java.util.List::size).sum());
        }
        String id = envelope.path("id").asText(null);
        if (id == null || id.isBlank()) throw new IllegalArgumentException("an EventBridge event needs its id");
        return Json.object().put("outcome", events.handle(id, detail).name());
    }
}
