package dev.kindling.send;

import java.util.Optional;

/**
 * Which person each number a shop texted belongs to, so a reply (STOP, HELP, anything else) from that number reaches
 * their profile. Written when a text is claimed; the latest person texted at a number owns it.
 */
public interface TextedNumbers {

    void remember(String shopId, String number, String contactId);

    Optional<String> contactOf(String shopId, String number);
}
