package dev.kindling.event;

import java.time.Instant;

/**
 * What an event says about a person's consent for one purpose, with the evidence for it.
 *
 * @param purpose    e.g. {@code email_marketing}
 * @param state      granted, withdrawn, pending (awaiting double opt-in) or not_given
 * @param optInLevel e.g. Shopify's single_opt_in / confirmed_opt_in, when known
 * @param evidence   where the statement came from (topic, delivery id, page …)
 */
public record ConsentChange(String purpose, State state, String optInLevel, Instant at, String evidence) {
    public static final String EMAIL_MARKETING = "email_marketing";
    /** Marketing texts (SMS) to the person's phone: a consent of its own, never implied by email's (TCPA, PECR). */
    public static final String SMS_MARKETING = "sms_marketing";
    /**
     * CCPA's "sale or sharing" of personal information: {@code withdrawn} is the person's "do not sell or share my
     * personal information" (the law makes it an opt-out, so no statement means not opted out).
     */
    public static final String SALE_AND_SHARING = "sale_and_sharing";

    public enum State {
        granted, withdrawn, pending, not_given
    }
}
