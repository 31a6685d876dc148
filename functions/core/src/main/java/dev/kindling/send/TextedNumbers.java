package dev.kindling.send;

import java.util.Optional;

/**
 * Which person each number a shop texted belongs to, so a reply (STOP, HELP, anything else) from that number reaches
 * their profile, and whether it was sent a marketing text yet (the first carries the opt-out line). Written when a
 * text is claimed; the latest person texted at a number owns it.
 */
public interface TextedNumbers {

    /** Records a text to this number for this person; {@code marketing}: it was a marketing text. */
    void remember(String shopId, String number, String contactId, boolean marketing);

    Optional<String> contactOf(String shopId, String number);

    /** Whether a marketing text went to this number before (one small read, instead of the person's message log). */
    boolean marketingTexted(String shopId, String number);
}
