package dev.kindling.send;

import java.util.Map;

/**
 * An email's own signed links (unsubscribe, preferences, view in browser, referral) in the body kept for "view in
 * browser": kept as their names, and signed again for the message when the body is shown ({@link EmailSending#viewable}).
 * Each link's token is random to a compressor, and they were most of a kept body (about 700 of a newsletter's 1,300
 * deflated bytes); without them a body fits the 1 KB a write unit bills. The same links for the same message: its person,
 * its purpose and its topic are the token's claims, whenever it is signed.
 */
final class KeptLinks {
    /** What a kept body holds in a link's place: an address no browser opens, where the body is read without signing. */
    static final String PREFIX = "kindling-link:";

    private KeptLinks() {}

    /** The rendered body with each of the message's links as its name. */
    static String kept(String html, Map<String, String> links) {
        for (var link : links.entrySet()) html = html.replace(link.getValue(), PREFIX + link.getKey());
        return html;
    }

    /** A kept body with each link's name replaced by the link, signed now. */
    static String signed(String kept, Map<String, String> links) {
        for (var link : links.entrySet()) kept = kept.replace(PREFIX + link.getKey(), link.getValue());
        return kept;
    }
}
