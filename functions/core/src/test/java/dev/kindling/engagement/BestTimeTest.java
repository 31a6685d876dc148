package dev.kindling.engagement;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class BestTimeTest {
    static final LocalDate THURSDAY = LocalDate.parse("2026-12-10");
    static final ZoneId UTC = ZoneId.of("UTC");

    static List<Integer> opensAt(int... utcHours) {
        List<Integer> hours = new ArrayList<>(Collections.nCopies(24, 0));
        for (int h : utcHours) hours.set(h, hours.get(h) + 1);
        return hours;
    }

    /** A shop whose opens spread over the day, busiest at 19:00 UTC (a tenth of them), every weekday alike. */
    static long[] spreadShop() {
        long[] week = new long[168];
        for (int d = 0; d < 7; d++) for (int h = 0; h < 24; h++) week[d * 24 + h] = h == 19 ? 100 : h >= 7 && h <= 22 ? 50 : 10;
        return week;
    }

    @Test
    void aPersonWithHistoryGetsTheirHourAndOneWithoutGetsTheShopsBusiest() {
        assertThat(BestTime.bestLocalHour(opensAt(14, 14, 15), spreadShop(), THURSDAY, UTC, 8, 21, 9)).isEqualTo(14);
        assertThat(BestTime.bestLocalHour(opensAt(), spreadShop(), THURSDAY, UTC, 8, 21, 9)).as("no history: the shop's").isEqualTo(19);
        assertThat(BestTime.bestLocalHour(opensAt(11), spreadShop(), THURSDAY, UTC, 8, 21, 9)).as("one open already outweighs a spread curve")
                .isEqualTo(11);
    }

    @Test
    void hoursAreTheContactsLocalOnesWithinTheWindowAndNoSignalAtAllKeepsTheStatedHour() {
        // opens at 01:00 UTC are 20:00 the evening before in New York: inside the window, so that is the hour
        assertThat(BestTime.bestLocalHour(opensAt(1, 1), new long[168], THURSDAY, ZoneId.of("America/New_York"), 8, 21, 9)).isEqualTo(20);
        // opens at 03:00 UTC, outside the window in UTC: the shop's best hour inside it
        assertThat(BestTime.bestLocalHour(opensAt(3, 3, 3), spreadShop(), THURSDAY, UTC, 8, 21, 9)).isEqualTo(19);
        assertThat(BestTime.bestLocalHour(opensAt(), new long[168], THURSDAY, UTC, 8, 21, 9)).as("nothing known").isEqualTo(9);
        assertThat(BestTime.bestLocalHour(opensAt(), new long[168], THURSDAY, UTC, 10, 21, 9)).as("the stated hour kept in the window").isEqualTo(10);
    }

    @Test
    void aShopThatMailsOnOneDayLendsTheWholeWeeksCurveToTheOthers() {
        long[] mondaysOnly = new long[168];
        mondaysOnly[11] = 40; // Monday 11:00 UTC
        mondaysOnly[12] = 10;
        assertThat(BestTime.bestLocalHour(opensAt(), mondaysOnly, THURSDAY, UTC, 8, 21, 9)).as("Thursday has none of its own").isEqualTo(11);
    }
}
