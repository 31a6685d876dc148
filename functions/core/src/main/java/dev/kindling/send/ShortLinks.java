package dev.kindling.send;

import dev.kindling.shop.LinkTokens;
import dev.kindling.shop.Shop;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The links in a text, made short and tracked: each {@code http(s)} link in the body becomes
 * {@code <public base URL>/l/<shop>/<code><signature>} (about 40 characters, where a cart link is often over 100, and each
 * segment is billed), kept with the person and the message it went in, so a tap counts for scoring and attribution as
 * an email click does ({@code SMS Link Clicked}) and redirects once to where the link pointed. The code is random; its
 * signature is the shop's link secret's ({@link LinkTokens#shortSignature}), so a made-up link is refused before a read.
 */
public final class ShortLinks {
    /** A link a text carried. */
    public record Link(String url, String contactId, String messageId, Instant expires) {}

    /** Where links are kept: one small item each, expiring. */
    public interface Store {
        void save(String shopId, String code, Link link);

        Optional<Link> find(String shopId, String code);
    }

    /** How long a text's link works: a campaign's offer is long gone by then, and the item expires with it. */
    public static final Duration LIFETIME = Duration.ofDays(90);
    static final int CODE_CHARS = 10;
    /** A link in a body: http(s) up to white space; punctuation that ends a sentence is left outside it. */
    private static final Pattern URL = Pattern.compile("https?://[^\\s<>\"]+?(?=[.,;:!?)\\]]*(?:\\s|$))");
    private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    private static final int MAX_URL_CHARS = 2_048;

    private final Store store;
    private final LinkTokens tokens;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    public ShortLinks(Store store, LinkTokens tokens, Clock clock) {
        this.store = store;
        this.tokens = tokens;
        this.clock = clock;
    }

    /** A body with its links made short, and the codes of those links (the message keeps them, so an erasure finds them). */
    public record Shortened(String body, List<String> codes) {}

    /** The body with each of its links made a short tracked one for this person and message. */
    public Shortened shorten(Shop shop, String publicBaseUrl, String body, String contactId, String messageId) {
        Matcher m = URL.matcher(body);
        StringBuilder out = new StringBuilder();
        List<String> codes = new ArrayList<>();
        while (m.find()) {
            String url = m.group();
            if (url.length() > MAX_URL_CHARS) continue; // left as it is: too long to be anyone's link
            String code = code();
            store.save(shop.id(), code, new Link(url, contactId, messageId, clock.instant().plus(LIFETIME)));
            codes.add(code);
            m.appendReplacement(out, Matcher.quoteReplacement(publicBaseUrl + "/l/" + shop.id() + "/" + code + tokens.shortSignature(shop, code)));
        }
        m.appendTail(out);
        return new Shortened(out.toString(), List.copyOf(codes));
    }

    /** The link a short link's token stands for, if it is the shop's, signed, known and not expired. */
    public Optional<Link> resolve(Shop shop, String token) {
        if (token == null || token.length() != CODE_CHARS + LinkTokens.SHORT_SIGNATURE_CHARS || !token.chars().allMatch(c -> ALPHABET.indexOf(c) >= 0)) return Optional.empty();
        String code = token.substring(0, CODE_CHARS);
        if (!tokens.verifyShort(shop, code, token.substring(CODE_CHARS))) return Optional.empty();
        return store.find(shop.id(), code).filter(link -> clock.instant().isBefore(link.expires()));
    }

    private String code() {
        StringBuilder code = new StringBuilder(CODE_CHARS);
        for (int i = 0; i < CODE_CHARS; i++) code.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        return code.toString();
    }
}
