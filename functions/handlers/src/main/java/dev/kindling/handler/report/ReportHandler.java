package dev.kindling.handler.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kindling.aws.dynamodb.TableStream;
import dev.kindling.event.BusEvent;
import dev.kindling.handler.AwsWiring;
import dev.kindling.handler.bus.BusEventHandler;
import dev.kindling.ingest.Times;
import dev.kindling.json.Json;
import dev.kindling.report.ReportCounting;
import dev.kindling.report.ReportStore;
import java.time.Clock;
import java.time.Instant;

/**
 * ReportFunction: keeps the reports' daily aggregates of funnel and loyalty stage moves and of segment entries and
 * exits, from the bus; and from batches of the table's stream ({@link TableStream}) counts the events stored and the
 * sessions the ledgers decided. Ingested events (orders, refunds, visits, email touches, NPS answers) EventFunction
 * counts into the ledgers. A bus event is safe to run twice: each person's ledger remembers what it counted; a batch is
 * added all together or not at all.
 */
public final class ReportHandler extends BusEventHandler {
    private final ReportCounting counting;
    private final ReportStore store;
    private final Clock clock;

    /** For Lambda. */
    public ReportHandler() {
        this(AwsWiring.services().reportCounting(), AwsWiring.services().reportStore(), AwsWiring.services().clock());
    }

    public ReportHandler(ReportCounting counting, ReportStore store, Clock clock) {
        this.counting = counting;
        this.store = store;
        this.clock = clock;
    }

    @Override
    protected ObjectNode handle(String source, String detailType, JsonNode detail, JsonNode envelope) {
        if (TableStream.isBatch(envelope)) {
            // a batch of the table's stream: counted together, one transaction; a failure retries the batch
            TableStream.Batch batch = TableStream.read(envelope);
            ReportCounting.countBatch(store, batch.storedEvents(), batch.ledgerCounts());
            return Json.object().put("outcome", "counted").put("events", batch.events()).put("ledgers", batch.ledgerCounts().size());
        }
        String shopId = Json.text(detail, "shopId");
        String contactId = Json.text(detail, "contactId");
        if (shopId == null || contactId == null) throw new IllegalArgumentException("a " + detailType + " event names its shopId and contactId");
        switch (detailType) {
            case BusEvent.STAGE_CHANGED -> counting.stageChanged(shopId, contactId, Json.text(detail, "id"), Json.text(detail, "from"),
                    Json.text(detail, "to"), at(detail));
            case BusEvent.SEGMENT_ENTERED, BusEvent.SEGMENT_EXITED -> counting.membershipChanged(shopId, contactId, Json.text(detail, "id"),
                    Json.text(detail, "segmentId"), detail.hasNonNull("segmentCreatedAt") ? Instant.parse(detail.get("segmentCreatedAt").asText()) : null,
                    detailType.equals(BusEvent.SEGMENT_ENTERED), at(detail));
            default -> {
                return Json.object().put("outcome", "ignored");
            }
        }
        return Json.object().put("outcome", "counted");
    }

    private Instant at(JsonNode detail) {
        Instant at = Times.parseOrNull(Json.text(detail, "at"));
        return at != null ? at : clock.instant();
    }
}
