package dev.kindling.imports;

import dev.kindling.audience.ScoreUpdate;
import dev.kindling.event.BusEvent;
import dev.kindling.event.CanonicalEvent;
import dev.kindling.event.EventPublisher;
import dev.kindling.json.Json;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The bus as the importer's ingest sees it: the imported events about to be published are scored here first, each
 * person's together ({@link ScoreUpdate#applyHistory}: each event at its own time), then published, where
 * EventFunction scores no history. A person's rows in a batch then cost one read and one write of their
 * scores instead of five requests each, and one {@code score.changed} instead of one
 * each. Scored before published: a batch that fails in between runs again and publishes its unpublished events again,
 * and the scores, which remember the last 32 message ids they applied, take those once. Of a person with more than 32
 * rows in one batch, a failure in exactly that moment would count the older rows' points again on the retry: the
 * same bound a live event's redelivery has.
 */
final class ScoredHistory implements EventPublisher {
    private final ScoreUpdate scores;
    private final EventPublisher bus;

    ScoredHistory(ScoreUpdate scores, EventPublisher bus) {
        this.scores = scores;
        this.bus = bus;
    }

    @Override
    public void publish(List<BusEvent> events) {
        Map<List<String>, List<CanonicalEvent>> byPerson = new LinkedHashMap<>();
        for (BusEvent event : events) {
            if (!event.detailType().equals(BusEvent.EVENT_INGESTED)) continue;
            PublishedEvent ingested = Json.MAPPER.convertValue(event.detail(), PublishedEvent.class);
            if (!ingested.event().historical()) continue;
            byPerson.computeIfAbsent(List.of(ingested.shopId(), ingested.contactId()), k -> new ArrayList<>()).add(ingested.event());
        }
        byPerson.forEach((person, history) -> scores.applyHistory(person.get(0), person.get(1), history));
        bus.publish(events);
    }
}
