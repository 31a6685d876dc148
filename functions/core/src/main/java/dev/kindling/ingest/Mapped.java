package dev.kindling.ingest;

import dev.kindling.event.CanonicalEvent;

/** A webhook delivery turned into an event, or known to be one we accept and do not store. */
sealed interface Mapped {
    record Event(CanonicalEvent event) implements Mapped {}

    record Ignored(String reason) implements Mapped {}
}
