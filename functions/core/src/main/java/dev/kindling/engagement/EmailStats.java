package dev.kindling.engagement;

import dev.kindling.send.EmailSending;
import dev.kindling.send.MessageRecord;
import dev.kindling.send.MessageStore;
import dev.kindling.send.SendRequest;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

/**
 * Daily counts of SES events per journey or campaign, step and variant (or per template for one-off sends). A
 * journey's own counters sit beside them: the journey's entries and ends under the step {@code journey}, and
 * each step's arrivals ({@code reached}) and exits ({@code exited_<reason>}) under the step.
 */
public interface EmailStats {
    String REACHED = "reached";
    String EXITED = "exited_";

    /** @param source {@code journey:<id>}, {@code campaign:<id>} or {@code template:<id>} */
    record Key(String source, String step, String variant) {
        /** The key a message is counted under: its journey, else its campaign, else its template; its step and variant. */
        public static Key of(MessageRecord message) {
            SendRequest.Tags tags = message.tags() == null ? SendRequest.Tags.NONE : message.tags();
            return new Key(EmailStats.source(tags.journey(), tags.campaign(), message.templateId()), tags.step(), tags.variant());
        }
    }

    record Row(LocalDate day, Key key, Map<String, Long> counts) {}

    /** What an engagement adds under a key on a day, to ride on its message's mark ({@link MessageStore#engagement}). */
    static MessageStore.Counted counted(LocalDate day, Key key, Map<String, Long> counts) {
        return new MessageStore.Counted(day, key.source(), key.step(), key.variant(), counts);
    }

    /**
     * Adds the counts a batch of the table's stream shows decided on messages' marks, all together or not at all, so a batch
     * tried again after a failure is not counted twice.
     *
     * @param byShop each shop's counts (several of one day and key are summed)
     */
    void addTogether(Map<String, List<MessageStore.Counted>> byShop);

    /** The source an email is counted under: its journey, else its campaign, else its template (a one-off send). */
    static String source(String journey, String campaign, String template) {
        return journey != null ? "journey:" + journey : campaign != null ? "campaign:" + campaign : "template:" + template;
    }

    /**
     * A text's counters, from End User Messaging's receipts: {@code text_delivered}, {@code text_failed}, and what AWS
     * says the texts cost: {@code text_segments}, {@code text_price_microusd} (its price and the carriers' fees, in
     * millionths of a dollar) of which {@code text_carrier_fee_microusd}.
     */
    String TEXT = "text_";

    /** Whether a counter is a journey step's own (an arrival or an exit) or a text's, rather than one of SES's events. */
    static boolean stepCounter(String name) {
        return name.equals(REACHED) || name.startsWith(EXITED);
    }

    /** Counts each email SES took on its day, under its key ({@code send}), as its sender records it. */
    static EmailSending.SentCount sentCount(EmailStats stats) {
        return email -> stats.count(email.shopId(), LocalDate.ofInstant(email.updatedAt(), java.time.ZoneOffset.UTC), Key.of(email), "send");
    }

    default void count(String shopId, LocalDate day, Key key, String event) {
        add(shopId, day, key, Map.of(event, 1L));
    }

    /** Adds each amount to its counter (a number of segments, a price in millionths of a dollar), in one write. */
    void add(String shopId, LocalDate day, Key key, Map<String, Long> amounts);

    /** Adds the amounts of several keys: as few writes as the store can make them (one per key here). */
    default void addAll(String shopId, LocalDate day, Map<Key, Map<String, Long>> amounts) {
        amounts.forEach((key, counts) -> add(shopId, day, key, counts));
    }

    /**
     * Counts gathered over one piece of work and added together at its end ({@link #addAll}): a journey turn's entry, the
     * steps it reaches and where it ends were each a write of their own.
     */
    final class Tally {
        private final Map<Key, Map<String, Long>> amounts = new java.util.LinkedHashMap<>();

        public synchronized void count(Key key, String counter) {
            amounts.computeIfAbsent(key, k -> new java.util.TreeMap<>()).merge(counter, 1L, Long::sum);
        }

        public synchronized void addTo(EmailStats stats, String shopId, LocalDate day) {
            if (!amounts.isEmpty()) stats.addAll(shopId, day, amounts);
            amounts.clear();
        }
    }

    /**
     * The emails SES took in one piece of work (a campaign's page, sent by several threads), counted ({@code send}) as one
     * write per day and key at its end, where each was a write on the send's own path. A stop before the end loses them,
     * as a stop between a message's mark and its count does.
     */
    final class Sends implements EmailSending.SentCount {
        private final Map<LocalDate, Tally> byDay = new java.util.TreeMap<>();

        @Override
        public synchronized void sent(MessageRecord email) {
            byDay.computeIfAbsent(LocalDate.ofInstant(email.updatedAt(), java.time.ZoneOffset.UTC), d -> new Tally()).count(Key.of(email), "send");
        }

        public synchronized void addTo(EmailStats stats, String shopId) {
            byDay.forEach((day, tally) -> tally.addTo(stats, shopId, day));
            byDay.clear();
        }
    }

    List<Row> read(String shopId, LocalDate from, LocalDate to);
}
