package dev.kindling.segment;

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
}
