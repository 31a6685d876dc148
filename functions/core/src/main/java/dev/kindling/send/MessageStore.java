package dev.kindling.send;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The message log, the per-contact send ledger the frequency cap counts, and the rendered bodies
 * behind "view in browser". A claim writes the message as {@code sending}, adds it to the ledger
 * and stores its body: two senders of one key cannot both claim it, and two marketing sends to one
 * person cannot both slip under the cap (the ledger is written at the version its cap was checked at).
 */
public interface MessageStore {

    /** The marketing emails and texts a contact was sent recently (each send's {@link #keyOf key} → time), at a version. */
    record Ledger(Map<String, Instant> sends, long version) {
        public static final Ledger EMPTY = new Ledger(Map.of(), 0);
        static final int KEY_LENGTH = 13;

        /**
         * A send's key in the ledger: its message id's first {@value #KEY_LENGTH} characters (the letter of its kind and 48
         * of its 96 bits, none the same among the few dozen a ledger holds). The ledger is written with every marketing
         * send and billed per KB; whole ids took a tenth of its writes over one. A ledger written before holds whole ids,
         * which {@link #holds} finds as well, until they age out of it.
         */
        public static String keyOf(String messageId) {
            return messageId.length() > KEY_LENGTH ? messageId.substring(0, KEY_LENGTH) : messageId;
        }

        /** Whether the ledger holds this message's send. */
        public boolean holds(String messageId) {
            return sends.containsKey(keyOf(messageId)) || sends.containsKey(messageId);
        }

        /** Whether a ledger key is this message's send: its {@link #keyOf key}, or its whole id in a ledger written before. */
        public static boolean isKeyOf(String key, String messageId) {
            return key.equals(keyOf(messageId)) || key.equals(messageId);
        }
    }

    enum Claim { CLAIMED, TAKEN, LEDGER_MOVED }

    Optional<MessageRecord> get(String shopId, String contactId, String messageId);

    /** The message as {@link #get} finds it, and the contact's send ledger (null unless asked for). */
    record Prior(Optional<MessageRecord> message, Ledger ledger) {}

    /**
     * What a send starts from, in one read: the message, and with {@code withLedger} the send ledger too (a marketing send
     * reads both; one request where two were made for each recipient of a campaign).
     */
    Prior prior(String shopId, String contactId, String messageId, boolean withLedger);

    /** The newest messages of a contact, newest first. */
    List<MessageRecord> recent(String shopId, String contactId, int limit);

    /** Records an outcome reached without calling SES; false when the message was claimed or finished meanwhile. */
    boolean record(MessageRecord outcome);

    /**
     * Claims the message for sending: it must not exist or be deferred. With a ledger, the message is
     * added to it at the ledger's version first (marketing mail): {@code LEDGER_MOVED} when another send
     * changed it since it was read; a ledger that holds the message already (an earlier attempt of it)
     * is left as it is.
     */
    Claim claim(MessageRecord sending, Ledger ledger, Instant at, String body);

    /**
     * Records the outcome of a claimed send; {@code releaseLedger} when nothing went out, so it does not count against the
     * cap. Whether SES's Send event was recorded on the message before it (SES's events can come first): the send was
     * counted then.
     */
    boolean finish(MessageRecord outcome, boolean releaseLedger);

    /**
     * Settles a claim its sender abandoned, if it is still that claim (sending, claimed at {@code abandoned}'s time): false
     * when another call settled it, or reopened and claimed it again, first.
     */
    boolean settle(MessageRecord abandoned, MessageRecord outcome, boolean releaseLedger);

    /** The body a claim kept (for "view in browser"), as it was rendered. */
    Optional<String> body(String shopId, String contactId, String messageId);

    /** As below, counting nothing. */
    default boolean engagement(String shopId, String contactId, String messageId, String eventId, String type, Instant at) {
        return engagement(shopId, contactId, messageId, eventId, type, at, null);
    }

    /**
     * Records an SES event (or a text's receipt or tap) on its message: false when this event was recorded before (SES and
     * EventBridge deliver at least once) or the message is unknown. A {@code Send} is recorded only on a claim still open
     * ({@code sending}), where it is the evidence an abandoned claim is settled by; false on a message its sender has
     * recorded since.
     *
     * @param counted what the event adds to the email stats, decided once by this mark and kept on it: the stats are added
     *                from the table's stream, a batch at a time (null: nothing)
     */
    boolean engagement(String shopId, String contactId, String messageId, String eventId, String type, Instant at, Counted counted);

    /**
     * Counters an engagement adds to its message's day and key (the email stats: an SES event's type, a text's receipt
     * with its price): a {@code engagement.EmailStats} row's amounts.
     */
    record Counted(LocalDate day, String source, String step, String variant, Map<String, Long> counts) {}
}
