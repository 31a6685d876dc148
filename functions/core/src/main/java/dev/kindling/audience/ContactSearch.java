package dev.kindling.audience;

import dev.kindling.audience.ContactScan.ScannedContact;
import dev.kindling.contact.Contact;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.PriorityQueue;
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

    /** How a browsed list is ordered. */
    public enum Order {
        /** first seen, newest first */
        newest(Comparator.comparing((ScannedContact s) -> s.contact().firstSeen(), Comparator.nullsFirst(Comparator.naturalOrder())).reversed()),
        /** total spent, most first */
        value(Comparator.comparing((ScannedContact s) -> s.contact().commerce().totalSpent(), Comparator.nullsFirst(Comparator.naturalOrder())).reversed()),
        /** last seen, most recent first */
        active(Comparator.comparing((ScannedContact s) -> s.contact().lastSeen(), Comparator.nullsFirst(Comparator.naturalOrder())).reversed());

        final Comparator<ScannedContact> comparator;

        Order(Comparator<ScannedContact> comparator) {
            this.comparator = comparator.thenComparing(s -> s.contact().contactId());
        }
    }

    /** Browsing at most this far in: a page is the top of what was read, kept in memory while the shop is read. */
    public static final int MAX_BROWSE_DEPTH = 1000;

    /**
     * A page of the shop's contacts, in that order, of a segment's members or a stage's only when asked ({@code segment},
     * {@code stage}: null for all); {@code count} is how many match among those read, {@code estimate} that over the whole
     * shop when the reading stopped early.
     */
    public record Page(List<ScannedContact> contacts, long count, long estimate, long scanned, boolean complete) {}

    /** Reads the shop's contacts until {@code stop}, and answers the page from {@code offset}: at most {@code limit}. */
    public Page browse(String shopId, Order order, String segment, String stage, int offset, int limit, BooleanSupplier stop) {
        if (offset < 0 || limit < 1 || offset + limit > MAX_BROWSE_DEPTH) {
            throw new IllegalArgumentException("offset and limit reach at most " + MAX_BROWSE_DEPTH + " contacts in");
        }
        int keep = offset + limit;
        // the best {keep} so far, the worst of them first, so each newcomer is weighed against it alone
        PriorityQueue<ScannedContact> top = new PriorityQueue<>(order.comparator.reversed());
        long[] counts = {0, 0};
        ContactScan.Coverage coverage = scan.scanUntil(shopId, stop, s -> {
            boolean match = (segment == null || s.memberships().value().containsKey(segment))
                    && (stage == null || stage.equals(s.stage()));
            synchronized (top) {
                counts[0]++;
                if (!match) return;
                counts[1]++;
                top.add(s);
                if (top.size() > keep) top.poll();
            }
        });
        List<ScannedContact> sorted = new ArrayList<>(top);
        sorted.sort(order.comparator);
        List<ScannedContact> page = sorted.subList(Math.min(offset, sorted.size()), Math.min(keep, sorted.size()));
        return new Page(List.copyOf(page), counts[1], coverage.estimate(counts[1]), counts[0], coverage.complete());
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
