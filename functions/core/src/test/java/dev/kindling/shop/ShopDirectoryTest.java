package dev.kindling.shop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kindling.testing.MovableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * The directory reloads its shops from their source (SSM on AWS) when its copy is older than its time to live; a
 * reload that fails (SSM throttled past its retries) must not turn every webhook away while the shops are known.
 */
class ShopDirectoryTest {
    final MovableClock clock = new MovableClock(Instant.parse("2026-12-05T10:00:00Z"));

    @Test
    void aFailedReloadKeepsTheShopsLoadedBeforeAndIsTriedAgainShortlyAfter() {
        AtomicInteger loads = new AtomicInteger();
        Supplier<List<Shop>> ssm = () -> switch (loads.incrementAndGet()) {
            case 1 -> List.of(shop("write-key-1"));
            case 2, 3 -> throw new IllegalStateException("SSM GetParametersByPath answered 400: ThrottlingException Rate exceeded (5 attempts)");
            default -> List.of(shop("write-key-2")); // the key was rotated meanwhile
        };
        ShopDirectory shops = ShopDirectory.refreshing(ssm, Duration.ofMinutes(5), clock);
        assertThat(shops.byWriteKey("write-key-1")).isPresent();

        clock.advance(Duration.ofMinutes(6));
        assertThat(shops.byWriteKey("write-key-1")).as("the reload failed: the shops loaded before still answer").isPresent();
        assertThat(shops.byId("demo")).isPresent();
        assertThat(loads).hasValue(2);
        clock.advance(ShopDirectory.RETRY_FAILED_LOAD.minusSeconds(1));
        shops.byId("demo");
        assertThat(loads).as("not a reload per request while SSM is throttling").hasValue(2);

        clock.advance(Duration.ofSeconds(1));
        assertThat(shops.byId("demo")).isPresent();
        assertThat(loads).as("tried again").hasValue(3);
        clock.advance(ShopDirectory.RETRY_FAILED_LOAD);
        assertThat(shops.byWriteKey("write-key-2")).as("once the source answers, its shops replace the old").isPresent();
        assertThat(shops.byWriteKey("write-key-1")).isEmpty();
        assertThat(loads).hasValue(4);
    }

    @Test
    void withNothingLoadedYetAFailedLoadIsAFailure() {
        ShopDirectory shops = ShopDirectory.refreshing(() -> {
            throw new IllegalStateException("SSM unreachable");
        }, Duration.ofMinutes(5), clock);
        assertThatThrownBy(() -> shops.byId("demo")).hasMessageContaining("SSM unreachable");
    }

    @Test
    void aShopEditedIntoSomethingInvalidDoesNotTakeTheOthersDown() {
        AtomicInteger loads = new AtomicInteger();
        ShopDirectory shops = ShopDirectory.refreshing(() -> loads.incrementAndGet() == 1 ? List.of(shop("write-key-1"))
                : List.of(shop("write-key-1"), new Shop("bad id!", "Bad", "s", "w", "k2", "a2", "l", null, null)), Duration.ofMinutes(5), clock);
        assertThat(shops.ids()).containsExactly("demo");
        clock.advance(Duration.ofMinutes(6));
        assertThat(shops.ids()).containsExactly("demo");
        assertThat(loads).hasValue(2);
    }

    private static Shop shop(String writeKey) {
        return new Shop("demo", "Demo", "s", "w", writeKey, "admin-token", "a-link-secret-that-is-long-enough-0001", null, null);
    }
}
