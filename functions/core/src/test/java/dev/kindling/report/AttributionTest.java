package dev.kindling.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kindling.report.Attribution.Credit;
import dev.kindling.report.Attribution.Model;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;

class AttributionTest {
    static final Instant ORDER = Instant.parse("2026-11-10T12:00:00Z");

    static Touch touch(String message, String kind, Duration before, String source) {
        return new Touch(message, kind, ORDER.minus(before), source, "s1", null, "newsletter");
    }

    @Test
    void aClickWithinFiveDaysCountsAndOneOlderDoesNot() {
        assertThat(Attribution.credit(List.of(touch("m1", Touch.CLICK, Duration.ofDays(2), "campaign:a")), ORDER, Attribution.Windows.DEFAULT))
                .extracting(Credit::source).containsOnly("campaign:a");
        assertThat(Attribution.credit(List.of(touch("m1", Touch.CLICK, Duration.ofDays(6), "campaign:a"),
                touch("m1", Touch.OPEN, Duration.ofDays(6), "campaign:a")), ORDER, Attribution.Windows.DEFAULT)).isEmpty();
    }

    @Test
    void eachWindowIsItsOwn() {
        var windows = new Attribution.Windows(Duration.ofDays(5), Duration.ofDays(1));
        assertThat(Attribution.credit(List.of(touch("m1", Touch.OPEN, Duration.ofDays(2), "campaign:a")), ORDER, windows)).isEmpty();
        assertThat(Attribution.credit(List.of(touch("m1", Touch.CLICK, Duration.ofDays(2), "campaign:a")), ORDER, windows)).isNotEmpty();
    }

    @Test
    void lastFirstAndLinearSplitAnOrderBetweenTheEmailsBeforeIt() {
        List<Touch> touches = List.of(touch("m1", Touch.OPEN, Duration.ofDays(4), "campaign:weekly"),
                touch("m2", Touch.CLICK, Duration.ofDays(1), "journey:cart"),
                touch("m2", Touch.OPEN, Duration.ofDays(1).plusMinutes(5), "journey:cart"),
                touch("m3", Touch.OPEN, Duration.ofHours(-1), "campaign:later")); // after the order: never credited
        List<Credit> credits = Attribution.credit(touches, ORDER, Attribution.Windows.DEFAULT);
        assertThat(credits).filteredOn(c -> c.model() == Model.last).singleElement()
                .satisfies(c -> assertThat(c.source()).isEqualTo("journey:cart")).satisfies(c -> assertThat(c.share()).isEqualTo(1.0));
        assertThat(credits).filteredOn(c -> c.model() == Model.first).singleElement().satisfies(c -> assertThat(c.source()).isEqualTo("campaign:weekly"));
        assertThat(credits).filteredOn(c -> c.model() == Model.linear).extracting(Credit::source, Credit::share)
                .containsExactly(Tuple.tuple("campaign:weekly", 0.5), Tuple.tuple("journey:cart", 0.5));
    }

    @Test
    void touchesNoOrderCouldStillUseAreDropped() {
        List<Touch> kept = Attribution.keep(List.of(touch("old", Touch.CLICK, Duration.ofDays(9), "a"), touch("new", Touch.CLICK, Duration.ofDays(1), "a")),
                ORDER, Attribution.Windows.DEFAULT, 30);
        assertThat(kept).extracting(Touch::messageId).containsExactly("new");
    }
}
