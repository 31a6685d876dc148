package dev.kindling.event;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kindling.json.Json;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * One event on the project's bus, as EventBridge carries it: who sent it ({@code source}), what it
 * is ({@code detailType}, e.g. {@code segment.entered}) and its JSON {@code detail}. Details of
 * derived events carry an {@code id} that stays the same when the event is sent again, so a
 * subscriber can drop a repeat.
 */
public record BusEvent(String source, String detailType, Instant time, ObjectNode detail) {
    public static final String INGEST = "kindling.ingest";
    public static final String EVENT_INGESTED = "Event Ingested";
    public static final String SCORING = "kindling.scoring";
    public static final String SCORE_CHANGED = "score.changed";
    public static final String STAGE_CHANGED = "stage.changed";
    public static final String SEGMENTS = "kindling.segments";
    public static final String SEGMENT_ENTERED = "segment.entered";
    public static final String SEGMENT_EXITED = "segment.exited";
    public static final String ADMIN = "kindling.admin";
    public static final String SETTINGS_CHANGED = "settings.changed";
    public static final String PRIVACY = "kindling.privacy";
    /** The detail field ({@code true}) of a score, stage or segment change an imported event caused ({@link CanonicalEvent#historical}). */
    public static final String HISTORICAL = "historical";
    /** A shop platform asked for a person's data or its erasure (Shopify's mandatory privacy webhooks). */
    public static final String PRIVACY_REQUESTED = "privacy.requested";

    /**
     * EventBridge takes a PutEvents request whose entries come to less than 256 KB together, each entry counted as
     * "Calculating PutEvents event entry size" documents ({@link #entryBytes}); one over it is refused outright.
     */
    public static final int MAX_ENTRIES_BYTES = 256 * 1024;
    /** PutEvents takes at most 10 entries a request. */
    public static final int MAX_ENTRIES = 10;

    /** A request for PrivacyFunction: Shopify's privacy webhooks, the shop's retention, the rest of a shop's erasure. */
    public static BusEvent privacyRequested(Instant at, ObjectNode detail) {
        return new BusEvent(PRIVACY, PRIVACY_REQUESTED, at, detail);
    }

    public static BusEvent ingested(EventPublisher.PublishedEvent event) {
        return new BusEvent(INGEST, EVENT_INGESTED, event.event().timestamp(), Json.MAPPER.valueToTree(event));
    }

    /** This event's PutEvents entry size: its time (14 bytes), and its source, detail type and detail in UTF-8 bytes. */
    public int entryBytes() {
        return entryBytes(source, detailType, time != null, Json.write(detail));
    }

    /** EventBridge's count of an entry's size, as its documentation gives it (no entry of ours names resources). */
    public static int entryBytes(String source, String detailType, boolean hasTime, String detail) {
        return (hasTime ? 14 : 0) + utf8(source) + utf8(detailType) + (detail == null ? 0 : utf8(detail));
    }

    private static int utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8).length;
    }

    /**
     * The events as PutEvents requests take them: at most {@link #MAX_ENTRIES} a request and less than
     * {@link #MAX_ENTRIES_BYTES} together, in order. An event no request can carry is refused here, by its size, before
     * anything is sent; at ingest such an event is refused at the door (413), so none is stored that cannot be published.
     */
    public static List<List<BusEvent>> requests(List<BusEvent> events) {
        List<List<BusEvent>> requests = new ArrayList<>();
        List<BusEvent> current = new ArrayList<>();
        int bytes = 0;
        for (BusEvent event : events) {
            int size = event.entryBytes();
            if (size >= MAX_ENTRIES_BYTES) {
                throw new IllegalArgumentException(event.detailType() + " is " + size + " bytes as a PutEvents entry; EventBridge takes less than "
                        + MAX_ENTRIES_BYTES);
            }
            if (current.size() == MAX_ENTRIES || bytes + size >= MAX_ENTRIES_BYTES) {
                requests.add(List.copyOf(current));
                current.clear();
                bytes = 0;
            }
            current.add(event);
            bytes += size;
        }
        if (!current.isEmpty()) requests.add(List.copyOf(current));
        return requests;
    }
}
