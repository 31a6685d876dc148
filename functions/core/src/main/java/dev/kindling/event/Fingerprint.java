package dev.kindling.event;

/**
 * What derived state keeps of an id to recognise it again (a redelivered event in the scores' recent ids or the report
 * ledger's applied ones): 64 bits of it (FNV-1a) in base 36, 12 characters or fewer where a message id is 36 or more.
 * These lists are written with most events and billed per KB. Two of the few dozen ids a list keeps sharing one is about
 * 64 / 2^64 likely: nothing a redelivery check needs to fear.
 */
public final class Fingerprint {
    private Fingerprint() {}

    public static String of(String id) {
        long hash = 0xcbf29ce484222325L;
        for (int i = 0; i < id.length(); i++) {
            hash ^= id.charAt(i);
            hash *= 0x100000001b3L;
        }
        return "~" + Long.toUnsignedString(hash, 36);
    }
}
