package dev.kindling.send;

import java.util.Map;
import java.util.Optional;

/**
 * Where texts go: AWS End User Messaging SMS ({@code SendTextMessage}) from the shop's origination identity with its
 * configuration set, or the local runtime's SMS outbox. A refusal for now is {@link EmailSender.Throttled}, for good
 * (an opted-out or unreachable number, a blocked identity) {@link EmailSender.Rejected}, as for email.
 */
public interface SmsSender {

    /**
     * @param destination the number in E.164
     * @param marketing   sent as PROMOTIONAL (else TRANSACTIONAL: a HELP answer, an order update)
     * @param context     key-value pairs End User Messaging returns with every delivery receipt of this text: shop,
     *                    contact and message, so a receipt finds its message without a lookup
     */
    record OutgoingText(String messageId, String destination, String body, boolean marketing, Map<String, String> context) {}

    /**
     * How a refusal for a number on the account's opt-out list starts: End User Messaging's ConflictException reason
     * (the number sent STOP to AWS, which took it before Kindling heard of it, or while its function was failing).
     */
    String OPTED_OUT = "DESTINATION_PHONE_NUMBER_OPTED_OUT";

    /** Sends and returns the provider's message id. */
    String send(OutgoingText text);

    /**
     * The provider's id of this text if the provider can be asked whether it took it (the local SMS outbox can); empty
     * when it did not or cannot say. End User Messaging cannot be asked: its receipts, recorded on the message, say it.
     */
    default Optional<String> accepted(String messageId) {
        return Optional.empty();
    }

    /**
     * An erasure: forgets the texts sent to this number where the provider keeps them. End User Messaging keeps no
     * text's body, and its opt-out list must keep a number that sent STOP (that is how the STOP is honoured), so there
     * it does nothing; the local SMS outbox deletes the person's texts.
     */
    default void forget(String number) {}
}
