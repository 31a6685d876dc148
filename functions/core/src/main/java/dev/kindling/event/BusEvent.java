package dev.kindling.event;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kindling.json.Json;
import java.time.Instant;

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
    /** A shop platform asked for a person's data or its erasure (Shopify's mandatory privacy webhooks). */
    public static final String PRIVACY_REQUESTED = "privacy.requested";

    public static BusEvent ingested(EventPublisher.PublishedEvent event) {
        return new BusEvent(INGEST, EVENT_INGESTED, event.event().timestamp(), Json.MAPPER.valueToTree(event));
    }
}
