package dev.kindling.ingest;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kindling.contact.Contact;
import dev.kindling.event.CanonicalEvent;
import dev.kindling.event.ConsentChange;
import dev.kindling.event.EventType;
import dev.kindling.event.Source;
import dev.kindling.json.Json;
import dev.kindling.shop.Signatures;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Events Kindling records about a person itself (an unsubscribe, a confirmed opt-in, an email
 * opened): ingested like any webhook, so they reach the profile, the consent ledger, the bus,
 * scoring and segments, and are stored once per delivery key however often they are reported.
 */
public final class KindlingEvents {
    private final Ingestor ingestor;
    private final Clock clock;

    public KindlingEvents(Ingestor ingestor, Clock clock) {
        this.ingestor = ingestor;
        this.clock = clock;
    }

    /** Who an event is about: a user id or an email address, as any source names a person. */
    public record Person(String userId, String email) {
        public static Person of(Contact contact) {
            return new Person(contact.userId(), contact.email());
        }
    }

    public Ingestor.Outcome record(String shopId, String deliveryKey, Contact contact, String event, ObjectNode properties,
                                   ConsentChange consent, ObjectNode context, Instant at) {
        return record(shopId, deliveryKey, Person.of(contact), event, properties, null, consent, context, at);
    }

    /**
     * As {@link #record(String, String, Contact, String, ObjectNode, ConsentChange, ObjectNode, Instant)}, for an occurrence
     * each report of which states the time it happened (SES's time of an open or a click, in every delivery of that SES
     * event): stored at that time, its stored key tells a repeat by itself, and it needs no delivery marker
     * ({@link dev.kindling.contact.ContactCommit#keyedByItsEvent}).
     *
     * @param reportedAt the time the report states; null: it states none, and the event is recorded now, as {@code record}
     *                   records it
     */
    public Ingestor.Outcome recordReported(String shopId, String deliveryKey, Contact contact, String event, ObjectNode properties,
                                           ConsentChange consent, Instant reportedAt) {
        return record(shopId, deliveryKey, Person.of(contact), event, properties, null, consent == null ? List.of() : List.of(consent),
                null, reportedAt, Source.KINDLING, reportedAt);
    }

    /**
     * @param deliveryKey what makes this event one event: the same key is stored once
     * @param traits      what the event says about the person (a name from a sign-up form), or null
     * @param context     ip and userAgent of the person's request, when there was one
     * @param at          when it happened (null: now)
     */
    public Ingestor.Outcome record(String shopId, String deliveryKey, Person person, String event, ObjectNode properties,
                                   ObjectNode traits, ConsentChange consent, ObjectNode context, Instant at) {
        return record(shopId, deliveryKey, person, event, properties, traits, consent, context, at, Source.KINDLING);
    }

    /**
     * What a public form anyone can post to says ({@link Source#FORM}): a claim, so it names the person and asks, but
     * never renames an existing contact or changes what authority said of them.
     */
    public Ingestor.Outcome recordFromForm(String shopId, String deliveryKey, Person person, String event, ObjectNode properties,
                                           ObjectNode traits, List<ConsentChange> consents, ObjectNode context, Instant at) {
        return record(shopId, deliveryKey, person, event, properties, traits, consents, context, at, Source.FORM);
    }

    private Ingestor.Outcome record(String shopId, String deliveryKey, Person person, String event, ObjectNode properties,
                                    ObjectNode traits, ConsentChange consent, ObjectNode context, Instant at, Source source) {
        return record(shopId, deliveryKey, person, event, properties, traits, consent == null ? List.of() : List.of(consent), context, at, source);
    }

    private Ingestor.Outcome record(String shopId, String deliveryKey, Person person, String event, ObjectNode properties,
                                    ObjectNode traits, List<ConsentChange> consents, ObjectNode context, Instant at, Source source) {
        return record(shopId, deliveryKey, person, event, properties, traits, consents, context, at, source, null);
    }

    private Ingestor.Outcome record(String shopId, String deliveryKey, Person person, String event, ObjectNode properties,
                                    ObjectNode traits, List<ConsentChange> consents, ObjectNode context, Instant at, Source source,
                                    Instant statedAt) {
        if (person.userId() == null && person.email() == null) {
            throw new IllegalArgumentException("an event needs a user id or an email to name its person");
        }
        Instant now = clock.instant();
        CanonicalEvent canonical = new CanonicalEvent(messageIdOf(deliveryKey), EventType.TRACK, event, person.userId(), null,
                person.userId() == null ? person.email() : null, null, properties == null ? Json.object() : properties, traits,
                context, consents, at != null ? at : now, now, source, Map.of());
        return ingestor.ingest(shopId, "kindling:" + deliveryKey, canonical, statedAt);
    }

    /** The message id of the event recorded under a delivery key: the same key, the same id. */
    public static String messageIdOf(String deliveryKey) {
        return "kindling-" + Signatures.sha256Hex(deliveryKey).substring(0, 32);
    }
}
