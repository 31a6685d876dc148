package dev.kindling.send;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kindling.shop.LinkTokens;
import dev.kindling.shop.Shop;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A text's links made short and tracked: what is a link, what the code says, and what is refused. */
class ShortLinksTest {
    static final Shop SHOP = new Shop("demo", "Demo", "s", "w", "k", "a", "demo-link-secret-0123456789abcdef0123", null, null);
    static final Shop OTHER = new Shop("demo", "Demo", "s", "w", "k", "a", "another-link-secret-0123456789abcdef", null, null);

    /** The links kept in a map: this test is about the text and the tokens, not about where links are stored. */
    static final class Kept implements ShortLinks.Store {
        final Map<String, ShortLinks.Link> links = new HashMap<>();

        @Override
        public void save(String shopId, String code, ShortLinks.Link link) {
            links.put(shopId + "/" + code, link);
        }

        @Override
        public Optional<ShortLinks.Link> find(String shopId, String code) {
            return Optional.ofNullable(links.get(shopId + "/" + code));
        }
    }

    @Test
    void eachLinkBecomesAShortSignedOneAndSentencePunctuationStaysOutsideIt() {
        Kept kept = new Kept();
        Instant now = Instant.parse("2026-12-05T10:00:00Z");
        ShortLinks links = new ShortLinks(kept, new LinkTokens(Clock.fixed(now, ZoneOffset.UTC)), Clock.fixed(now, ZoneOffset.UTC));
        ShortLinks.Shortened s = links.shorten(SHOP, "https://go.example", "Back in stock: https://shop.example.com/p/blue?v=2. Or https://shop.example.com/cart!",
                "c1", "t1");
        assertThat(s.codes()).hasSize(2);
        assertThat(s.body()).matches("Back in stock: https://go\\.example/l/demo/[A-Za-z0-9]{18}\\. Or https://go\\.example/l/demo/[A-Za-z0-9]{18}!");
        String first = s.body().substring(s.body().indexOf("/l/demo/") + 8, s.body().indexOf("/l/demo/") + 26);
        assertThat(links.resolve(SHOP, first)).get().extracting(ShortLinks.Link::url, ShortLinks.Link::contactId, ShortLinks.Link::messageId)
                .containsExactly("https://shop.example.com/p/blue?v=2", "c1", "t1");
        String forged = first.substring(0, 17) + (first.endsWith("0") ? "1" : "0");
        assertThat(links.resolve(SHOP, forged)).as("a signature that is not the shop's").isEmpty();
        assertThat(links.resolve(OTHER, first)).as("another secret's").isEmpty();
        assertThat(links.resolve(SHOP, "../../etc/passwd")).isEmpty();
        ShortLinks later = new ShortLinks(kept, new LinkTokens(Clock.fixed(now, ZoneOffset.UTC)),
                Clock.fixed(now.plus(ShortLinks.LIFETIME).plus(Duration.ofSeconds(1)), ZoneOffset.UTC));
        assertThat(later.resolve(SHOP, first)).as("expired").isEmpty();
        assertThat(links.shorten(SHOP, "https://go.example", "No link here.", "c1", "t2").codes()).isEmpty();
    }
}
