package dev.kindling.admin;

import dev.kindling.http.ApiException;
import dev.kindling.http.HttpRequest;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/**
 * The days a counters request asks for ({@code ?from=&to=}, UTC dates): up to today by default, at most two years (731
 * days: this year and last, or any twelve months beside the twelve before them). A group's days are one Query of its
 * daily items, about 40 bytes a counter: a year of a busy source is some tens of KB, a few read units, so no monthly
 * roll-up is kept (it would add a write to every counted event to save a fraction of a cent on a rare read).
 */
record DayRange(LocalDate from, LocalDate to) {
    static final int MAX_DAYS = 731;

    static DayRange of(HttpRequest request, Clock clock, int defaultDays) {
        LocalDate from;
        LocalDate to;
        try {
            to = request.query().containsKey("to") ? LocalDate.parse(request.query().get("to")) : LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
            from = request.query().containsKey("from") ? LocalDate.parse(request.query().get("from")) : to.minusDays(defaultDays - 1L);
        } catch (DateTimeParseException bad) {
            throw ApiException.badRequest("from and to are dates such as 2026-11-01");
        }
        if (from.isAfter(to) || from.plusDays(MAX_DAYS).isBefore(to)) throw ApiException.badRequest("from must be before to, at most " + MAX_DAYS + " days apart");
        return new DayRange(from, to);
    }
}
