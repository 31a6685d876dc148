package dev.kindling.scoring;

import dev.kindling.segment.Condition;
import java.util.Set;

/**
 * A lifecycle transition: a contact in one of {@code from} ("none" for a contact with no stage yet;
 * any stage when empty) moves {@code to} when the event being applied is {@code on} (the file's {@code onEvent}, if set) and
 * {@code when} holds (if set). {@code when} is a segment condition, so it can read events, scores,
 * commerce facts and time; rules without an event are also re-checked by the scheduled refresh.
 */
public record StageRule(String id, Set<String> from, String to, String on, Condition when) {

    boolean appliesFrom(String stage) {
        return from.isEmpty() || from.contains(stage == null ? "none" : stage);
    }
}
