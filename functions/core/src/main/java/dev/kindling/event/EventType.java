package dev.kindling.event;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;
import java.util.Optional;

/** The Segment spec's call types. */
public enum EventType {
    IDENTIFY, TRACK, PAGE, SCREEN, GROUP, ALIAS;

    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<EventType> fromWireName(String name) {
        if (name == null) return Optional.empty();
        for (EventType type : values()) {
            if (type.wireName().equals(name)) return Optional.of(type);
        }
        return Optional.empty();
    }
}
