package dev.kindling.aws.eventbridge;

import dev.kindling.lazy.Lazy;
import java.util.function.Supplier;
import dev.kindling.event.BusEvent;
import dev.kindling.event.EventPublisher;
import dev.kindling.json.Json;
import java.util.List;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequestEntry;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResponse;

/** Publishes on the project's bus, as many entries per PutEvents call as the API takes (ten, under 256 KB together). */
public final class EventBridgePublisher implements EventPublisher {
    private final Lazy<EventBridgeClient> eventBridge;
    private final String busName;

    public EventBridgePublisher(EventBridgeClient eventBridge, String busName) {
        this(() -> eventBridge, busName);
    }

    /** Builds the client on the first publish: some functions share the wiring and never publish. */
    public EventBridgePublisher(Supplier<EventBridgeClient> eventBridge, String busName) {
        this.eventBridge = Lazy.of(eventBridge);
        this.busName = busName;
    }

    /** The entry as it goes on the bus; the local bus routes the same entry. */
    public static PutEventsRequestEntry entry(String busName, BusEvent event) {
        return PutEventsRequestEntry.builder()
                .eventBusName(busName)
                .source(event.source())
                .detailType(event.detailType())
                .time(event.time())
                .detail(Json.write(event.detail()))
                .build();
    }

    @Override
    public void publish(List<BusEvent> events) {
        for (List<BusEvent> request : BusEvent.requests(events)) {
            List<PutEventsRequestEntry> entries = request.stream().map(e -> entry(busName, e)).toList();
            PutEventsResponse response = eventBridge.get().putEvents(b -> b.entries(entries));
            if (response.failedEntryCount() != null && response.failedEntryCount() > 0) {
                var failed = response.entries().stream().filter(e -> e.errorCode() != null).findFirst().orElseThrow();
                // the caller fails and its trigger is retried; subscribers drop repeats by the detail's id
                throw new IllegalStateException("EventBridge refused an event: " + failed.errorCode() + " " + failed.errorMessage());
            }
        }
    }
}
