package dev.kindling.shop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kindling.shop.LinkTokens.InvalidToken;
import dev.kindling.shop.LinkTokens.Purpose;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class LinkTokensTest {
    static final String CONTACT = "3f2b8c1e-5a4d-4e6f-9a7b-0c1d2e3f4a5b";
    final Instant now = Instant.parse("2026-11-22T12:00:00Z");
    final LinkTokens tokens = new LinkTokens(Clock.fixed(now, ZoneOffset.UTC));
    final Shop shop = shop("demo", "a-link-secret-that-is-long-enough-0001", null);

    @Test
    void aTokenCarriesItsClaimsAndRevealsNoContactId() {
        String token = tokens.issue(shop, Purpose.UNSUBSCRIBE, CONTACT, "m123", "deals");
        LinkTokens.Claims claims = tokens.verify(shop, Purpose.UNSUBSCRIBE, token);
        assertThat(claims.contactId()).isEqualTo(CONTACT);
        assertThat(claims.messageId()).isEqualTo("m123");
        assertThat(claims.topic()).isEqualTo("deals");
        assertThat(claims.expires()).isEqualTo(now.plus(Purpose.UNSUBSCRIBE.lifetime));
        String decoded = new String(Base64.getUrlDecoder().decode(token.split("\\.")[1]), StandardCharsets.ISO_8859_1);
        assertThat(token + decoded).doesNotContain(CONTACT).doesNotContain("m123");
        assertThat(tokens.issue(shop, Purpose.UNSUBSCRIBE, CONTACT, "m123", null)).as("unguessable: fresh each time")
                .isNotEqualTo(tokens.issue(shop, Purpose.UNSUBSCRIBE, CONTACT, "m123", null));
    }

    @Test
    void anEditedOrForgedTokenIsRefused() {
        String token = tokens.issue(shop, Purpose.UNSUBSCRIBE, CONTACT, "m123", null);
        String[] parts = token.split("\\.");
        char[] body = parts[1].toCharArray();
        body[20] = body[20] == 'A' ? 'B' : 'A';
        assertThatThrownBy(() -> tokens.verify(shop, Purpose.UNSUBSCRIBE, parts[0] + "." + new String(body) + "." + parts[2]))
                .isInstanceOf(InvalidToken.class).hasMessage("signature does not match");
        char[] mac = parts[2].toCharArray();
        mac[3] = mac[3] == 'A' ? 'B' : 'A';
        assertThatThrownBy(() -> tokens.verify(shop, Purpose.UNSUBSCRIBE, parts[0] + "." + parts[1] + "." + new String(mac)))
                .isInstanceOf(InvalidToken.class);
        Shop other = shop("demo", "another-secret-that-is-long-enough-0002", null);
        assertThatThrownBy(() -> tokens.verify(shop, Purpose.UNSUBSCRIBE, new LinkTokens(Clock.systemUTC()).issue(other, Purpose.UNSUBSCRIBE, CONTACT, "m", null)))
                .isInstanceOf(InvalidToken.class).hasMessage("unknown key");
        for (String junk : new String[] {null, "", "abc", "a.b.c", "x".repeat(2000), parts[0] + ".!!!." + parts[2]}) {
            assertThatThrownBy(() -> tokens.verify(shop, Purpose.UNSUBSCRIBE, junk)).isInstanceOf(InvalidToken.class);
        }
    }

    @Test
    void aTokenIsGoodOnlyForItsPurposeItsShopAndUntilItExpires() {
        String confirm = tokens.issue(shop, Purpose.CONFIRM, CONTACT, "m1", null);
        assertThatThrownBy(() -> tokens.verify(shop, Purpose.UNSUBSCRIBE, confirm)).hasMessage("made for another purpose");
        Shop sameSecretOtherShop = shop("other", shop.linkSecret(), null);
        assertThatThrownBy(() -> tokens.verify(sameSecretOtherShop, Purpose.CONFIRM, confirm)).hasMessage("made for another shop");
        LinkTokens later = new LinkTokens(Clock.fixed(now.plus(Purpose.CONFIRM.lifetime).plus(Duration.ofSeconds(1)), ZoneOffset.UTC));
        assertThatThrownBy(() -> later.verify(shop, Purpose.CONFIRM, confirm)).hasMessage("expired");
    }

    @Test
    void afterARotationLinksMadeWithThePreviousSecretStillWorkUntilItIsRemoved() {
        String old = tokens.issue(shop, Purpose.PREFERENCES, CONTACT, "m1", null);
        Shop rotated = shop("demo", "the-new-link-secret-that-is-long-enough", shop.linkSecret());
        assertThat(tokens.verify(rotated, Purpose.PREFERENCES, old).contactId()).isEqualTo(CONTACT);
        assertThat(tokens.verify(rotated, Purpose.PREFERENCES, tokens.issue(rotated, Purpose.PREFERENCES, CONTACT, "m2", null)).messageId()).isEqualTo("m2");
        Shop retired = shop("demo", rotated.linkSecret(), null);
        assertThatThrownBy(() -> tokens.verify(retired, Purpose.PREFERENCES, old)).hasMessage("unknown key");
    }

    @Test
    void aShopWithoutALongEnoughSecretCannotIssueLinks() {
        assertThatThrownBy(() -> tokens.issue(shop("demo", "short", null), Purpose.VIEW, CONTACT, "m", null))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("linkSecret");
    }

    private static Shop shop(String id, String secret, String previous) {
        return new Shop(id, "Demo", "s", "w", "k", "a", secret, previous, null);
    }
}
