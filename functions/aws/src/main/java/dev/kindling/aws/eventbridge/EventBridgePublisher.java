package dev.kindling.aws.eventbridge;

import dev.kindling.event.EventPublisher;
import dev.kindling.json.Json;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequestEntry;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResponse;

/** Publishes stored events on the project's bus as {@code source: kindling.ingest, detail-type: Event Ingested}. */
public final class EventBridgePublisher implements EventPublisher {
    public static final String SOURCE = "kindling.ingest";
    public static final String DETAIL_TYPE = "Event Ingested";

    private final EventBridgeClient eventBridge;
    private final String busName;

    public EventBridgePublisher(EventBridgeClient eventBridge, String busName) {
        this.eventBridge = eventBridge;
        this.busName = busName;
    }

    /** The entry as it goes on the bus; the local bus routes the same entry. */
    public static PutEventsRequestEntry entry(String busName, PublishedEvent event) {
        return PutEventsRequestEntry.builder()
                .eventBusName(busName)
                .source(SOURCE)
                .detailType(DETAIL_TYPE)
                .time(event.event().timestamp())
                .detail(Json.write(event))
                .build();
    }

    @Override
    public void publish(PublishedEvent event) {
        PutEventsResponse response = eventBridge.putEvents(b -> b.entries(entry(busName, event)));
        if (response.failedEntryCount() != null && response.failedEntryCount() > 0) {
            var failed = response.entries().getFirst();
            throw new IllegalStateException("EventBridge refused the event: " + failed.errorCode() + " " + failed.errorMessage());
        }
    }
}
