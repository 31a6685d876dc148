package dev.kindling.send;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kindling.contact.Contact;
import dev.kindling.contact.Traits;
import dev.kindling.email.EmailSettings;
import dev.kindling.json.Json;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The checks a send makes before SES: the frequency cap, quiet hours, the request's shape. */
class SendRulesTest {
    final Instant now = Instant.parse("2026-11-22T12:00:00Z");
    final EmailSettings.FrequencyCap twoPerDay = new EmailSettings.FrequencyCap(2, 24, "defer");

    @Test
    void theCapCountsMarketingSendsInTheWindowAndFreesWhenTheOlderOneLeavesIt() {
        var ledger = new MessageStore.Ledger(Map.of("a", now.minusSeconds(3600 * 20), "b", now.minusSeconds(3600),
                "old", now.minusSeconds(3600 * 30)), 3);
        assertThat(EmailSending.capFreesAt(ledger, twoPerDay, "c", now, id -> true)).isEqualTo(now.minusSeconds(3600 * 20).plusSeconds(24 * 3600));
        assertThat(EmailSending.capFreesAt(ledger, twoPerDay, "a", now, id -> true)).as("a retry of a counted send is not counted twice").isNull();
        assertThat(EmailSending.capFreesAt(MessageStore.Ledger.EMPTY, twoPerDay, "c", now, id -> true)).isNull();
    }

    @Test
    void quietHoursAreTheContactsOwnNightAndEndAtTheirMorning() {
        var quiet = new EmailSettings.QuietHours("21:00", "08:00", "UTC");
        // 12:00 UTC is 01:00 in Auckland (UTC+13 in November): quiet until 08:00 there, 19:00 UTC
        assertThat(EmailSending.quietUntil(quiet, contactIn("Pacific/Auckland"), now)).isEqualTo(Instant.parse("2026-11-22T19:00:00Z"));
        // and 04:00 in Los Angeles: quiet until 08:00 there, 16:00 UTC
        assertThat(EmailSending.quietUntil(quiet, contactIn("America/Los_Angeles"), now)).isEqualTo(Instant.parse("2026-11-22T16:00:00Z"));
        assertThat(EmailSending.quietUntil(quiet, contactIn("Europe/Paris"), now)).as("13:00 in Paris").isNull();
        assertThat(EmailSending.quietUntil(quiet, contactIn(null), Instant.parse("2026-11-22T22:30:00Z")))
                .as("unknown zone: the shop's default").isEqualTo(Instant.parse("2026-11-23T08:00:00Z"));
        assertThat(EmailSending.quietUntil(new EmailSettings.QuietHours("13:00", "14:00", "UTC"), contactIn("Mars/Base"), Instant.parse("2026-11-22T13:30:00Z")))
                .as("a same-day window; an unreadable zone falls back").isEqualTo(Instant.parse("2026-11-22T14:00:00Z"));
    }

    @Test
    void aMalformedRequestNamesEveryBadField() {
        var json = Json.object().put("shopId", "Demo Shop").put("contactId", "x").put("template", "Bad Template").put("kind", "marketing");
        json.putObject("tags").put("journey", "has space");
        assertThatThrownBy(() -> SendRequest.parse(json)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("shopId").hasMessageContaining("template").hasMessageContaining("idempotencyKey")
                .hasMessageContaining("tags: has space");
        assertThatThrownBy(() -> SendRequest.parse(Json.object().put("kind", "spam"))).hasMessageContaining("not readable");
    }

    @Test
    void aSenderNameIsQuotedOrEncodedAsRfc2047() {
        assertThat(EmailSending.displayAddress("Demo \"Shop\"", "a@b.example")).isEqualTo("\"Demo  Shop\" <a@b.example>");
        assertThat(EmailSending.displayAddress("Café Zoë", "a@b.example")).isEqualTo("=?UTF-8?B?Q2Fmw6kgWm/Dqw==?= <a@b.example>");
    }

    private static Contact contactIn(String zone) {
        Contact c = Contact.create("demo", "c1");
        return new Contact("demo", "c1", 1, null, "x@example.com", c.anonymousIds(),
                new Traits(null, null, null, null, zone, null, null, null), c.consent(), c.commerce(), null, null, c.mergedFrom(), null);
    }
}
