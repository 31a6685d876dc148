package dev.kindling.segment;

import dev.kindling.event.CanonicalEvent;
import dev.kindling.event.EventNames;
import java.util.HashSet;
import java.util.Set;

/**
 * What changed on a contact, so only the segments that read it are evaluated again.
 *
 * @param event    the event name that was stored (null when none)
 * @param traits   names of the traits whose value changed
 * @param commerce whether orders or spending changed
 * @param scores   score groups whose points changed
 * @param stage    whether the lifecycle stage changed
 * @param historical caused by an imported event ({@link CanonicalEvent#historical}): what it flips starts no journey
 */
public record ContactChange(String event, Set<String> traits, boolean commerce, Set<String> scores, boolean stage, boolean historical) {

    public static ContactChange event(String name) {
        return new ContactChange(name, Set.of(), false, Set.of(), false, false);
    }

    static Set<String> segmentNames(String field) {
        return switch (field) {
            case "first_name", "firstName" -> Set.of("firstName");
            case "last_name", "lastName" -> Set.of("lastName");
            case "name" -> Set.of("firstName", "lastName", "name");
            case "time_zone", "timeZone", "timezone" -> Set.of("timezone");
            case "address" -> Set.of("country", "address");
            default -> Set.of(field);
        };
    }

    /** What storing an ingested event changed: its name, the traits it carried, and commerce facts when it moves them. */
    public static ContactChange of(CanonicalEvent event) {
        Set<String> traits = new HashSet<>();
        // a source's spelling (first_name, time_zone) is read under the trait's segment name (firstName, timezone)
        if (event.traits() != null) event.traits().fieldNames().forEachRemaining(name -> traits.addAll(segmentNames(name)));
        if (event.email() != null) traits.add("email");
        if (event.userId() != null) traits.add("userId");
        boolean commerce = EventNames.commerceEffect(event) != EventNames.CommerceEffect.NONE;
        return new ContactChange(event.event(), Set.copyOf(traits), commerce, Set.of(), false, event.historical());
    }

    /** Score groups moved; {@code historical}: by an imported event (the score.changed event says so). */
    public static ContactChange scores(Set<String> groups, boolean historical) {
        return new ContactChange(null, Set.of(), false, Set.copyOf(groups), false, historical);
    }

    public static ContactChange stageChanged(boolean historical) {
        return new ContactChange(null, Set.of(), false, Set.of(), true, historical);
    }
}
