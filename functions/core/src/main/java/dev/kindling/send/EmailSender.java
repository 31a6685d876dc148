package dev.kindling.send;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Where rendered email goes: SES v2 on AWS (or any SES endpoint), the local outbox here. */
public interface EmailSender {

    /**
     * A header of the message. A line break in a value would start a header (or the body) of the
     * sender's choosing, and RFC 5322 allows 998 characters per line: both are refused here, for
     * every header, whoever builds it.
     */
    record Header(String name, String value) {
        static final int MAX_LINE = 998;

        public Header {
            if (name.indexOf('\r') >= 0 || name.indexOf('\n') >= 0 || value.indexOf('\r') >= 0 || value.indexOf('\n') >= 0) {
                throw new IllegalArgumentException("header " + name + ": no line breaks in a header");
            }
            if (name.length() + 2 + value.length() > MAX_LINE) throw new IllegalArgumentException("header " + name + ": longer than " + MAX_LINE + " characters");
        }
    }

    /**
     * @param tags SES EmailTags: shop, contact, message, journey, campaign, step, variant
     */
    record OutgoingEmail(String messageId, String from, String replyTo, String to, String subject, String html, String text,
                         List<Header> headers, Map<String, String> tags, String configurationSet) {}

    /** Sends and returns the provider's message id. */
    String send(OutgoingEmail email);

    /**
     * The provider's id of this message if the provider can be asked whether it took it (the local outbox can); empty when
     * it did not or cannot say. SES cannot be asked: its Send event, recorded on the message, says it instead.
     */
    default Optional<String> accepted(String messageId) {
        return Optional.empty();
    }

    /** Emails per second the account may send (SES's MaxSendRate). */
    double maxSendRate();

    /**
     * Takes an address off the provider's own list of addresses it will not send to (SES's account-level suppression
     * list, which keeps the plain address of everyone who bounced or complained): an erasure leaves nothing of the
     * person there. Kindling's own suppression, a salted hash, is what keeps a complainer from being mailed again.
     * An address that is not on the list is no error.
     */
    void forget(String address);

    /** The provider refused for now (too many requests): nothing was sent, trying later is right. */
    final class Throttled extends RuntimeException {
        public Throttled(String message) {
            super(message);
        }
    }

    /** The provider refused this email for good (bad address, unverified sender, paused account): nothing was sent. */
    final class Rejected extends RuntimeException {
        public Rejected(String message) {
            super(message);
        }
    }
}
