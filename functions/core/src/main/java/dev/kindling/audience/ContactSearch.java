package dev.kindling.audience;

import dev.kindling.contact.Contact;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.function.BooleanSupplier;

/**
 * Finds contacts by what a marketer types: part of a name, of an email address, or the start of a contact
 * id. There is no index on names (a write per profile change would cost more than the searches), so it
 * reads the shop's contacts once, in parallel shards, as the segment preview does: about one read unit per
 * 4 KB of profiles (a few for a shop of thousands, some hundreds for 100,000 profiles).
 */
public final class ContactSearch {
    public static final int MIN_QUERY = 2;
    private final ContactScan scan;

    public ContactSearch(ContactScan scan) {
        this.scan = scan;
    }

    /** The contacts found, how many profiles were read to find them, and whether that was all of them. */
    public record Found(List<Contact> contacts, long scanned, boolean complete) {}

    /** The closest {@code limit} matches among the contacts read until {@code stop} (a time budget) says so. */
    public Found find(String shopId, String query, int limit, BooleanSupplier stop) {
        String q = query.strip().toLowerCase(Locale.ROOT);
        if (q.length() < MIN_QUERY) throw new IllegalArgumentException("a search needs at least " + MIN_QUERY + " characters");
        List<Match> found = new ArrayList<>();
        long[] scanned = {0};
        ContactScan.Coverage coverage = scan.scanUntil(shopId, stop, s -> {
            Contact c = s.contact();
            String full = name(c), name = full == null ? "" : full.toLowerCase(Locale.ROOT);
            boolean match = c.contactId().startsWith(q) || contains(c.email(), q) || name.contains(q);
            synchronized (found) {
                scanned[0]++;
                if (match) found.add(new Match(c, name, rank(c, name, q)));
            }
        });
        found.sort(Comparator.comparingInt(Match::rank).thenComparing(Match::name));
        return new Found(found.stream().limit(limit).map(Match::contact).toList(), scanned[0], coverage.complete());
    }

    /** A contact that matched, with its lower-cased name kept for the ordering. */
    private record Match(Contact contact, String name, int rank) {}

    /** The closest first: an exact address or id, then a name that starts with the query, then the rest by name. */
    private static int rank(Contact c, String name, String q) {
        if (q.equals(c.contactId()) || q.equalsIgnoreCase(String.valueOf(c.email()))) return 0;
        return name.startsWith(q) || name.contains(" " + q) ? 1 : 2;
    }

    static String name(Contact c) {
        if (c.traits() == null) return null;
        String first = c.traits().firstName(), last = c.traits().lastName();
        if (first == null && last == null) return null;
        return ((first == null ? "" : first) + " " + (last == null ? "" : last)).strip();
    }

    private static boolean contains(String text, String q) {
        return text != null && text.toLowerCase(Locale.ROOT).contains(q);
    }
}
