package dev.kindling.campaign;

import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An EventBridge Scheduler expression ({@code cron(…)}, {@code rate(…)}, {@code at(…)}) in a time zone: when it fires
 * next, as Scheduler would fire it. The local runtime's scheduler and the campaigns read expressions only here.
 */
public final class ScheduleExpression {
    /** AWS cron has six fields (no seconds) and Quartz's ? and L; Quartz reads it with a seconds field in front. */
    private static final CronParser QUARTZ = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.QUARTZ));
    private static final Pattern CRON = Pattern.compile("cron\\((.+)\\)");
    private static final Pattern RATE = Pattern.compile("rate\\((\\d{1,6}) (minute|minutes|hour|hours|day|days)\\)");
    private static final Pattern AT = Pattern.compile("at\\((\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2})\\)");

    private final String text;
    private final ZoneId zone;
    private final ExecutionTime cron;
    private final Duration rate;
    private final LocalDateTime at;

    private ScheduleExpression(String text, ZoneId zone, ExecutionTime cron, Duration rate, LocalDateTime at) {
        this.text = text;
        this.zone = zone;
        this.cron = cron;
        this.rate = rate;
        this.at = at;
    }

    /** @throws IllegalArgumentException naming what is wrong, as Scheduler's ValidationException would */
    public static ScheduleExpression parse(String expression, ZoneId zone) {
        String text = expression == null ? "" : expression.strip();
        Matcher cron = CRON.matcher(text);
        if (cron.matches()) {
            try {
                return new ScheduleExpression(text, zone, ExecutionTime.forCron(QUARTZ.parse("0 " + cron.group(1))), null, null);
            } catch (IllegalArgumentException bad) {
                throw new IllegalArgumentException("cron(minutes hours day-of-month month day-of-week year), one of the two days '?': " + bad.getMessage());
            }
        }
        Matcher rate = RATE.matcher(text);
        if (rate.matches()) {
            long n = Long.parseLong(rate.group(1));
            if (n < 1) throw new IllegalArgumentException("a rate of at least 1");
            Duration every = rate.group(2).startsWith("minute") ? Duration.ofMinutes(n)
                    : rate.group(2).startsWith("hour") ? Duration.ofHours(n) : Duration.ofDays(n);
            return new ScheduleExpression(text, zone, null, every, null);
        }
        Matcher at = AT.matcher(text);
        if (at.matches()) {
            try {
                return new ScheduleExpression(text, zone, null, null, LocalDateTime.parse(at.group(1)));
            } catch (DateTimeParseException bad) {
                throw new IllegalArgumentException("at(yyyy-mm-ddThh:mm:ss): " + bad.getMessage());
            }
        }
        throw new IllegalArgumentException("not a schedule expression EventBridge Scheduler accepts (cron(…), rate(…) or at(…)): " + expression);
    }

    public String text() {
        return text;
    }

    public ZoneId zone() {
        return zone;
    }

    public boolean oneTime() {
        return at != null;
    }

    /**
     * The first firing strictly after {@code after}; empty when there is none (a one-time schedule that has passed).
     * A rate counts from {@code start} (Scheduler counts a rate from when the schedule was made).
     */
    public Optional<Instant> next(Instant after, Instant start) {
        if (at != null) {
            Instant when = at.atZone(zone).toInstant();
            return when.isAfter(after) ? Optional.of(when) : Optional.empty();
        }
        if (rate != null) {
            if (after.isBefore(start)) return Optional.of(start);
            long periods = Duration.between(start, after).dividedBy(rate) + 1;
            return Optional.of(start.plus(rate.multipliedBy(periods)));
        }
        return cron.nextExecution(after.atZone(zone)).map(ZonedDateTime::toInstant);
    }

    /** Whether a cron or at expression fires at this local minute (a campaign sent at a stated time in each contact's own zone). */
    public boolean firesAt(LocalDateTime local) {
        LocalDateTime minute = local.withSecond(0).withNano(0);
        if (at != null) return at.equals(minute);
        if (cron == null) throw new IllegalStateException(text + " names no time of day");
        return cron.isMatch(minute.atZone(ZoneOffset.UTC));
    }

    /** The minute of the hour the expression fires at: a cron's minute field (one number), an at()'s minute. */
    public int minute() {
        if (at != null) return at.getMinute();
        Matcher m = CRON.matcher(text);
        if (!m.matches() || !m.group(1).strip().split("\\s+")[0].matches("\\d{1,2}")) throw new IllegalStateException(text + " has no single minute");
        return Integer.parseInt(m.group(1).strip().split("\\s+")[0]);
    }

    /** The local time of a one-time expression, or null. */
    public LocalDateTime at() {
        return at;
    }

    @Override
    public String toString() {
        return text + " (" + zone + ")";
    }
}
