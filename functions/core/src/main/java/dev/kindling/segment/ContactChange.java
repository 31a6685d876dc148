package dev.kindling.segment;

import dev.kindling.event.CanonicalEvent;
import dev.kindling.event.EventNames;
import dev.kindling.json.Json;
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
 */
public record ContactChange(String event, Set<String> traits, boolean commerce, Set<String> scores, boolean stage) {

    public static ContactChange event(String name) {
        return new ContactChange(name, Set.of(), false, Set.of(), false);
    }

    /** What storing an ingested event changed: its name, the traits it carried, and commerce facts when it moves them. */
    public static ContactChange of(CanonicalEvent event) {
        Set<String> traits = new HashSet<>();
        if (event.traits() != null) event.traits().fieldNames().forEachRemaining(traits::add);
        if (event.email() != null) traits.add("email");
        if (event.userId() != null) traits.add("userId");
        boolean commerce = event.event() != null && EventNames.commerceEffect(event.event(),
                event.properties() == null ? Json.object() : event.properties()) != EventNames.CommerceEffect.NONE;
        return new ContactChange(event.event(), Set.copyOf(traits), commerce, Set.of(), false);
    }

    public static ContactChange scores(Set<String> groups) {
        return new ContactChange(null, Set.of(), false, Set.copyOf(groups), false);
    }

    public static ContactChange stageChanged() {
        return new ContactChange(null, Set.of(), false, Set.of(), true);
    }
}
