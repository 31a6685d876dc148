package dev.kindling.engagement;

import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;

/** When people open and click, by hour: each person's and the shop's, as send-time optimisation ({@link BestTime}) reads them. */
public interface EngagementHours {
    /** A person's opens and clicks by hour of the day (UTC, 24 counts; none yet: all 0). */
    List<Integer> person(String shopId, String contactId);

    /** The shop's opens and clicks by hour of the week (UTC, Monday 00:00 first; 168 counts). */
    long[] shop(String shopId);

    /** The person's best local hour on {@code day} within the day's default window ({@link BestTime#FROM} to {@link BestTime#TO}). */
    default int bestLocalHour(String shopId, String contactId, LocalDate day, ZoneId zone) {
        return BestTime.bestLocalHour(person(shopId, contactId), shop(shopId), day, zone, BestTime.FROM, BestTime.TO, BestTime.FALLBACK);
    }
}
