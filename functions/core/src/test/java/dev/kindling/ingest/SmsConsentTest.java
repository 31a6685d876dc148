package dev.kindling.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kindling.event.CanonicalEvent;
import dev.kindling.event.ConsentChange;
import dev.kindling.event.Trust;
import dev.kindling.json.Json;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** SMS consent as each source states it, beside email's and apart from it. */
class SmsConsentTest {
    static final Instant NOW = Instant.parse("2026-12-05T10:00:00Z");

    @Test
    void aShopifyCustomerCarriesItsEmailAndItsSmsConsentEachWithItsEvidenceAndTheNumberInE164() {
        ObjectNode customer = Json.read("""
                {"id": 7001, "email": "ann@example.com", "phone": "(415) 555-2671", "updated_at": "2026-12-01T10:00:00-05:00",
                 "default_address": {"country_code": "US"},
                 "email_marketing_consent": {"state": "not_subscribed", "opt_in_level": "single_opt_in", "consent_updated_at": null},
                 "sms_marketing_consent": {"state": "subscribed", "opt_in_level": "confirmed_opt_in", "consent_updated_at": "2026-12-01T10:00:00-05:00",
                                           "consent_collected_from": "SHOPIFY"}}
                """, ObjectNode.class);
        CanonicalEvent event = ((Mapped.Event) ShopifyMapper.map("customers/update", "w-1", null, customer, NOW)).event();
        ConsentChange sms = event.consent(ConsentChange.SMS_MARKETING);
        assertThat(sms.state()).isEqualTo(ConsentChange.State.granted);
        assertThat(sms.optInLevel()).isEqualTo("confirmed_opt_in");
        assertThat(sms.at()).isEqualTo(Instant.parse("2026-12-01T15:00:00Z"));
        assertThat(sms.evidence()).contains("collected from SHOPIFY");
        assertThat(event.consent(ConsentChange.EMAIL_MARKETING).state()).isEqualTo(ConsentChange.State.not_given);
        assertThat(event.traits().path("phone").asText()).isEqualTo("+14155552671");
    }

    @Test
    void thePublicWriteKeyCanOnlyAskForTextsOrStopThemAndTheServerKeyGrantsThem() {
        assertThat(tracking(Trust.CLAIM, "+14155552671", true).state()).as("a claim asks; nothing is texted on it").isEqualTo(ConsentChange.State.pending);
        assertThat(tracking(Trust.CLAIM, "+14155552671", false).state()).isEqualTo(ConsentChange.State.withdrawn);
        assertThat(tracking(Trust.AUTHORITY, "+14155552671", true).state()).isEqualTo(ConsentChange.State.granted);
        assertThatThrownBy(() -> tracking(Trust.AUTHORITY, "555", true)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("traits.phone must be a phone number");
        ObjectNode traits = Json.object().put("phone", "+14155552671").put("sms_consent", "yes");
        assertThatThrownBy(() -> SmsConsent.tracking(traits, Trust.AUTHORITY, NOW)).hasMessage("traits.sms_consent must be true or false");
    }

    @Test
    void aWooCommerceCheckoutBoxIsReadFromTheOrdersMetaData() {
        JsonNode meta = Json.read("[{\"id\": 1, \"key\": \"_sms_consent\", \"value\": \"yes\"}]", JsonNode.class);
        assertThat(SmsConsent.wooCommerce(meta, NOW, "woocommerce order 5").state()).isEqualTo(ConsentChange.State.granted);
        assertThat(SmsConsent.wooCommerce(Json.read("[]", JsonNode.class), NOW, "woocommerce order 5")).isNull();
    }

    @Test
    void anEventStoredBeforeTextsReadsItsOneConsentStatementAsTheListOfThem() {
        CanonicalEvent stored = Json.read("""
                {"messageId": "m1", "type": "identify", "userId": "7001", "properties": {}, "timestamp": "2026-11-01T10:00:00Z",
                 "receivedAt": "2026-11-01T10:00:00Z", "source": "shopify", "externalIds": {},
                 "consent": {"purpose": "email_marketing", "state": "granted", "at": "2026-11-01T10:00:00Z", "evidence": "webhook"}}
                """, CanonicalEvent.class);
        assertThat(stored.consents()).hasSize(1);
        assertThat(stored.consent(ConsentChange.EMAIL_MARKETING).state()).isEqualTo(ConsentChange.State.granted);
        assertThat(Json.read(Json.write(stored), CanonicalEvent.class)).as("and writes them back as the list").isEqualTo(stored);
    }

    private static ConsentChange tracking(Trust trust, String phone, boolean yes) {
        return SmsConsent.tracking(Json.object().put("phone", phone).put("sms_consent", yes), trust, NOW);
    }
}
