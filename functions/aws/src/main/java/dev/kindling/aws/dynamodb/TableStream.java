package dev.kindling.aws.dynamodb;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import dev.kindling.event.CanonicalEvent;
import dev.kindling.json.Json;
import dev.kindling.report.ReportStore.Delta;
import dev.kindling.send.MessageStore;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What is counted from a batch of the table's stream, as Lambda hands it over ({@code Records}, each with its
 * {@code dynamodb.Keys} and {@code NewImage}; template.yaml's stream mappings filter them for each function):
 * <ul>
 *   <li>each event item inserted: an event stored for the first time (a delivery seen before puts nothing new; an event
 *       expiring or erased is a removal), for ReportFunction;</li>
 *   <li>each report ledger written with counts on it ({@value DynamoReportStore#COUNTED}: a session begun), once per
 *       write, which the ledger's version decided once, for ReportFunction;</li>
 *   <li>each message marked with counts on it ({@value DynamoMessageStore#COUNTED}: an SES event, a text's receipt or
 *       tap), once per mark, which its condition decided once, for EngagementFunction.</li>
 * </ul>
 * Anything else in a batch is skipped. A write's counts are on that write's record alone: the ledger is put whole, and
 * every other update of a message removes them.
 */
public final class TableStream {
    private TableStream() {}

    /**
     * @param storedEvents  each shop's events stored, in the stream's order
     * @param ledgerCounts  each shop's counts from its ledgers' writes
     * @param messageCounts each shop's counts from its messages' marks
     */
    public record Batch(Map<String, List<CanonicalEvent>> storedEvents, Map<String, List<Delta>> ledgerCounts,
                        Map<String, List<MessageStore.Counted>> messageCounts) {
        public int events() {
            return storedEvents.values().stream().mapToInt(List::size).sum();
        }
    }

    private static final TypeReference<List<Delta>> DELTAS = new TypeReference<>() {};

    public static Batch read(JsonNode batch) {
        Map<String, List<CanonicalEvent>> events = new LinkedHashMap<>();
        Map<String, List<Delta>> ledgers = new LinkedHashMap<>();
        Map<String, List<MessageStore.Counted>> messages = new LinkedHashMap<>();
        for (JsonNode record : batch.path("Records")) {
            String change = record.path("eventName").asText();
            JsonNode dynamodb = record.path("dynamodb");
            String pk = dynamodb.path("Keys").path(KindlingTable.PK).path("S").asText(null);
            String sk = dynamodb.path("Keys").path(KindlingTable.SK).path("S").asText("");
            JsonNode image = dynamodb.path("NewImage");
            if (pk == null || change.equals("REMOVE")) continue;
            if (change.equals("INSERT") && sk.startsWith("E#") && image.path("event").has("S")) {
                events.computeIfAbsent(KindlingTable.shopOf(pk), s -> new ArrayList<>()).add(Json.read(text(image, "event"), CanonicalEvent.class));
            } else if (sk.equals(DynamoReportStore.LEDGER_SK) && image.path(DynamoReportStore.COUNTED).has("S")) {
                ledgers.computeIfAbsent(KindlingTable.shopOf(pk), s -> new ArrayList<>()).addAll(Json.read(text(image, DynamoReportStore.COUNTED), DELTAS));
            } else if (sk.startsWith(DynamoMessageStore.MESSAGE_PREFIX) && image.path(DynamoMessageStore.COUNTED).has("S")) {
                messages.computeIfAbsent(KindlingTable.shopOf(pk), s -> new ArrayList<>())
                        .add(Json.read(text(image, DynamoMessageStore.COUNTED), MessageStore.Counted.class));
            }
        }
        return new Batch(events, ledgers, messages);
    }

    private static String text(JsonNode image, String attribute) {
        return image.path(attribute).path("S").asText();
    }

    /** Whether an invocation's payload is a batch of the table's stream (not a bus event). */
    public static boolean isBatch(JsonNode payload) {
        JsonNode records = payload.path("Records");
        return records.isArray() && (records.isEmpty() || "aws:dynamodb".equals(records.get(0).path("eventSource").asText()));
    }
}
