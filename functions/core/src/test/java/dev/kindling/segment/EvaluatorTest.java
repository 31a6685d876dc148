package dev.kindling.segment;

import static dev.kindling.segment.SegmentFixtures.contact;
import static dev.kindling.segment.SegmentFixtures.event;
import static dev.kindling.segment.SegmentFixtures.facts;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kindling.contact.Contact;
import dev.kindling.event.CanonicalEvent;
import dev.kindling.json.Json;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class EvaluatorTest {
    static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");
    static final SegmentDefinition ABANDONED = SegmentParser.fromYaml(SegmentFixtures.ABANDONED_CHECKOUT_YAML);

    boolean abandoned(List<CanonicalEvent> events, Instant now) {
        return Evaluator.matches(ABANDONED.condition(), facts(contact(null, null), events, now, Set.of()));
    }

    @Test
    void checkoutWithoutOrderIsInForADayThenOut() {
        var checkout = event("Checkout Started", T0, null);
        assertThat(abandoned(List.of(), T0)).isFalse();
        assertThat(abandoned(List.of(checkout), T0)).isTrue();
        assertThat(abandoned(List.of(checkout), T0.plus(Duration.ofHours(23)))).isTrue();
        assertThat(abandoned(List.of(checkout), T0.plus(Duration.ofHours(25)))).isFalse();
    }

    @Test
    void anOrderAfterTheCheckoutTakesTheContactOutAndANewCheckoutBringsThemBack() {
        var checkout = event("Checkout Started", T0, null);
        var order = event("Order Completed", T0.plusSeconds(600), null);
        var again = event("Checkout Started", T0.plusSeconds(3600), null);
        assertThat(abandoned(List.of(checkout, order), T0.plusSeconds(700))).isFalse();
        assertThat(abandoned(List.of(checkout, order, again), T0.plusSeconds(3700))).isTrue();
    }

    @Test
    void countsAndPropertyFilters() {
        var condition = SegmentParser.fromYaml("""
                id: big-viewer
                condition:
                  event: Product Viewed
                  where: [{property: price, op: gte, value: 100}]
                  count: {min: 2, max: 3}
                  within: {days: 7}
                """).condition();
        var cheap = event("Product Viewed", T0, Json.object().put("price", 20));
        var dear = event("Product Viewed", T0, Json.object().put("price", 150));
        var dearer = event("Product Viewed", T0, Json.object().put("price", "300.00"));
        assertThat(Evaluator.matches(condition, facts(contact(null, null), List.of(cheap, dear), T0, Set.of()))).isFalse();
        assertThat(Evaluator.matches(condition, facts(contact(null, null), List.of(cheap, dear, dearer), T0, Set.of()))).isTrue();
        assertThat(Evaluator.matches(condition, facts(contact(null, null), List.of(dear, dear, dear, dear), T0, Set.of()))).isFalse();
    }

    @Test
    void birthdayTodayIsTodayInTheContactsTimeZone() {
        var birthday = SegmentParser.fromYaml("id: birthday\ncondition: {anniversary: birthday}").condition();
        // 23:30 UTC on 8 December is already 9 December in Tokyo, still 8 December in New York
        Instant now = Instant.parse("2026-12-08T23:30:00Z");
        assertThat(Evaluator.matches(birthday, facts(contact("1906-12-09", "Asia/Tokyo"), List.of(), now, Set.of()))).isTrue();
        assertThat(Evaluator.matches(birthday, facts(contact("1906-12-09", "America/New_York"), List.of(), now, Set.of()))).isFalse();
        assertThat(Evaluator.matches(birthday, facts(contact("12-08", "America/New_York"), List.of(), now, Set.of()))).isTrue();
        assertThat(Evaluator.matches(birthday, facts(contact("2000-02-29", null), List.of(), Instant.parse("2027-02-28T12:00:00Z"), Set.of()))).isTrue();
        assertThat(Evaluator.matches(birthday, facts(contact(null, null), List.of(), now, Set.of()))).isFalse();
    }

    @Test
    void daysBeforeADateTrait() {
        var expiring = SegmentParser.fromYaml("id: expiring\ncondition: {date: policy_expiry, inDays: 3}").condition();
        var contact = contact(null, "Europe/Paris");
        var withExpiry = new Contact(contact.shopId(), contact.contactId(), 1, null, null, List.of(),
                contact.traits().with(Json.object().put("policy_expiry", "2026-11-25")), contact.consent(), contact.commerce(),
                null, null, List.of(), null);
        assertThat(Evaluator.matches(expiring, facts(withExpiry, List.of(), T0, Set.of()))).isTrue();
        assertThat(Evaluator.matches(expiring, facts(withExpiry, List.of(), T0.plus(Duration.ofDays(1)), Set.of()))).isFalse();
    }

    @Test
    void bucketsAreStableAndSpread() {
        assertThat(Evaluator.bucket("c-1", "holdout")).isEqualTo(Evaluator.bucket("c-1", "holdout"));
        int inHoldout = 0;
        for (int i = 0; i < 10_000; i++) if (Evaluator.bucket("c-" + i, "holdout") < 10) inHoldout++;
        assertThat(inHoldout).isBetween(800, 1200);
    }

    @Test
    void membershipOfAnotherSegment() {
        var vipBuyer = SegmentParser.fromYaml("id: x\ncondition: {all: [{inSegment: vip}, {trait: country, op: in, value: [GB, IE]}]}").condition();
        assertThat(Evaluator.matches(vipBuyer, facts(contact(null, null), List.of(), T0, Set.of("vip")))).isTrue();
        assertThat(Evaluator.matches(vipBuyer, facts(contact(null, null), List.of(), T0, Set.of()))).isFalse();
    }
}
