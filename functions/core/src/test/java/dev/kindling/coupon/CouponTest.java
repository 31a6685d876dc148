package dev.kindling.coupon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kindling.segment.SegmentParser;
import java.math.BigDecimal;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class CouponTest {

    @Test
    void aPoolCouponIsReadWithItsCodesDiscountMinimumAndLifetime() {
        Coupon c = Coupon.parse("welcome", SegmentParser.yamlTree("""
                name: Welcome 10%
                source: pool
                codes: [WELCOME-7KQ2, welcome-9xp1]
                discount: {percent: 10}
                minimumOrder: 50.00
                expiresAfter: P14D
                lowPoolWarning: 50
                """));
        assertThat(c.codes()).containsExactly("WELCOME-7KQ2", "WELCOME-9XP1");
        assertThat(c.percent()).isEqualByComparingTo("10");
        assertThat(c.minimumOrder()).isEqualByComparingTo(new BigDecimal("50.00"));
        assertThat(c.expiresAfter()).isEqualTo(Duration.ofDays(14));
        assertThat(c.lowPoolWarning()).isEqualTo(50);
    }

    @Test
    void codesMadePerPersonHaveAPrefixAndNoPool() {
        Coupon c = Coupon.parse("vip", SegmentParser.yamlTree("{source: shopify, discount: {amount: 5, currency: EUR}, expiresAfter: P7D}"));
        assertThat(c.prefix()).as("the id's, by default").isEqualTo("VIP-");
        assertThat(Coupon.parse("vip", SegmentParser.yamlTree("{source: woocommerce, prefix: GOLD-, discount: {percent: 5}, expiresAfter: P7D}")).prefix())
                .isEqualTo("GOLD-");
        assertThatThrownBy(() -> Coupon.parse("vip", SegmentParser.yamlTree("{source: shopify, codes: [A-1], prefix: no!, discount: {percent: 5}, expiresAfter: P7D}")))
                .hasMessageContainingAll("codes: only a pool coupon has codes (shopify makes one per person)", "prefix: up to 24");
    }

    @Test
    void everyProblemIsNamedByItsField() {
        assertThatThrownBy(() -> Coupon.parse("Bad Id", SegmentParser.yamlTree("""
                source: shopify
                codes: [X1]
                discount: {percent: 10, amount: 5}
                expiresAfter: two weeks
                colour: red
                """))).isInstanceOf(Coupon.Invalid.class).hasMessageContainingAll("id: 1-40 lower-case", "codes: only a pool coupon has codes",
                "discount: {percent: 10} or {amount: 5.00, currency: USD}", "expiresAfter: how long a code works", "colour: not a coupon field");
        assertThatThrownBy(() -> Coupon.parse("dup", SegmentParser.yamlTree("""
                source: pool
                codes: [ABC-1, abc-1, "no"]
                discount: {amount: 5}
                expiresAfter: P400D
                """))).hasMessageContainingAll("codes[1]: abc-1 twice", "codes[2]: 3-64 letters", "discount: an amount above 0 with its currency",
                "expiresAfter: from PT1H to P366D");
    }
}
