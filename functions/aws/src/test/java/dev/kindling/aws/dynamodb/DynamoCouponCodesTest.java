package dev.kindling.aws.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kindling.coupon.CouponCodes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A coupon's pool of unique codes against DynamoDB Local: one code per send's key, never one code twice, redeemed once. */
class DynamoCouponCodesTest {
    static final Instant T0 = Instant.parse("2026-12-05T12:00:00Z");
    @RegisterExtension
    static final LocalTable db = new LocalTable();
    static DynamoCouponCodes codes;

    @BeforeAll
    static void start() {
        codes = new DynamoCouponCodes(db.table());
    }

    static CouponCodes.Giver giver(String key, String contactId) {
        return new CouponCodes.Giver(key, contactId, "m-" + key, null, "welcome", "run-1", null, "welcome");
    }

    @Test
    void eachSendGetsItsOwnCodeARetryTheSameOneAndAnUsedUpPoolNone() {
        assertThat(codes.add("demo", "welcome", List.of("WELCOME-A1", "welcome-b2 ", "WELCOME-C3"))).isEqualTo(3);
        assertThat(codes.add("demo", "welcome", List.of("WELCOME-A1", "WELCOME-D4"))).as("a code the shop has already is left out").isEqualTo(1);
        assertThat(codes.remaining("demo", "welcome")).isEqualTo(4);

        CouponCodes.Given ann = codes.give("demo", "welcome", giver("campaign:welcome:run-1:ann", "ann"), T0).orElseThrow();
        CouponCodes.Given bob = codes.give("demo", "welcome", giver("campaign:welcome:run-1:bob", "bob"), T0).orElseThrow();
        assertThat(ann.code()).isNotEqualTo(bob.code());
        assertThat(codes.give("demo", "welcome", giver("campaign:welcome:run-1:ann", "ann"), T0.plusSeconds(60))).as("the send retried")
                .get().extracting(CouponCodes.Given::code).isEqualTo(ann.code());
        assertThat(codes.remaining("demo", "welcome")).isEqualTo(2);
        codes.give("demo", "welcome", giver("k3", "cat"), T0).orElseThrow();
        codes.give("demo", "welcome", giver("k4", "dan"), T0).orElseThrow();
        assertThat(codes.give("demo", "welcome", giver("k5", "eve"), T0)).as("the pool is used up").isEmpty();

        // an order names the code as the customer typed it; the first order redeems it, a second order gets the first's answer
        CouponCodes.Given redeemed = codes.redeem("demo", " " + ann.code().toLowerCase() + " ", "order-1", T0.plusSeconds(3600)).orElseThrow();
        assertThat(redeemed).extracting(CouponCodes.Given::contactId, CouponCodes.Given::key, CouponCodes.Given::redeemedBy)
                .containsExactly("ann", "campaign:welcome:run-1:ann", "order-1");
        assertThat(redeemed.giver()).as("the message it was given by, for the revenue report")
                .isEqualTo(giver("campaign:welcome:run-1:ann", "ann"));
        assertThat(codes.redeem("demo", ann.code(), "order-2", T0.plusSeconds(7200))).get().extracting(CouponCodes.Given::redeemedBy).isEqualTo("order-1");
        assertThat(codes.redeem("demo", "WELCOME-NEVER", "order-3", T0)).as("a code never given").isEmpty();
    }

    @Test
    void aCodeMadeOnThePlatformIsRecordedOnceForItsKey() {
        CouponCodes.Given made = codes.record("demo", "vip", "VIP-ABC123", giver("vip:ann", "ann"), T0);
        assertThat(codes.record("demo", "vip", "VIP-ABC123", giver("vip:ann", "ann"), T0.plusSeconds(60))).as("recorded again by a retry")
                .extracting(CouponCodes.Given::code, CouponCodes.Given::at).containsExactly(made.code(), T0);
        assertThat(codes.given("demo", "vip", "vip:ann")).get().extracting(CouponCodes.Given::code).isEqualTo("VIP-ABC123");
        assertThatThrownBy(() -> codes.record("demo", "vip", "VIP-ABC123", giver("vip:bob", "bob"), T0)).as("another send's code")
                .isInstanceOf(IllegalStateException.class);
        assertThat(codes.remaining("demo", "vip")).as("no pool").isZero();
    }

    @Test
    void concurrentSendsNeverShareACode() throws Exception {
        List<String> pool = IntStream.range(0, 40).mapToObj(i -> "RUSH-" + i).toList();
        codes.add("demo", "rush", pool);
        ExecutorService threads = Executors.newFixedThreadPool(8);
        try {
            Set<String> given = ConcurrentHashMap.newKeySet();
            List<Future<String>> done = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                String key = "k" + i;
                done.add(threads.submit(() -> codes.give("demo", "rush", giver(key, "c-" + key), T0).orElseThrow().code()));
            }
            for (Future<String> f : done) assertThat(given.add(f.get())).as("a code given twice").isTrue();
            assertThat(given).containsExactlyInAnyOrderElementsOf(pool);
            assertThat(codes.remaining("demo", "rush")).isZero();
        } finally {
            threads.shutdownNow();
        }
    }
}
