package dev.kindling.report;

import dev.kindling.email.EmailSettings;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which emails an order is credited to. An email counts when it was clicked within the click
 * window before the order, or opened within the open window (Klaviyo's defaults: 5 days each);
 * machine opens never reach here. Three models side by side: the last touch (the default), the
 * first touch, and linear (each counting email an equal share).
 */
public final class Attribution {
    public enum Model { last, first, linear }

    /** An email's share of one order under one model (shares of a model add up to 1, or there are none). */
    public record Credit(Model model, String source, String step, String variant, String template, double share) {}

    public record Windows(Duration click, Duration open) {
        public static final Windows DEFAULT = new Windows(Duration.ofDays(5), Duration.ofDays(5));

        /** The windows a shop set in its email settings. */
        public static Windows of(EmailSettings.Attribution settings) {
            return new Windows(Duration.ofDays(settings.clickDays()), Duration.ofDays(settings.openDays()));
        }

        Duration longest() {
            return click.compareTo(open) >= 0 ? click : open;
        }
    }

    private Attribution() {}

    /** The credits of an order placed at {@code orderAt}: for each model, the emails it goes to and their shares. */
    public static List<Credit> credit(List<Touch> touches, Instant orderAt, Windows windows) {
        // one candidate per message: it counts if either its click or its open is within its window
        Map<String, Touch> counting = new LinkedHashMap<>();
        for (Touch t : touches) {
            if (t.at().isAfter(orderAt)) continue;
            Duration window = Touch.CLICK.equals(t.kind()) ? windows.click() : windows.open();
            if (Duration.between(t.at(), orderAt).compareTo(window) > 0) continue;
            counting.merge(t.messageId(), t, (a, b) -> a.at().isAfter(b.at()) ? a : b);
        }
        if (counting.isEmpty()) return List.of();
        List<Touch> byTime = new ArrayList<>(counting.values());
        byTime.sort(Comparator.comparing(Touch::at));
        List<Credit> credits = new ArrayList<>();
        credits.add(credit(Model.last, byTime.getLast(), 1));
        credits.add(credit(Model.first, byTime.getFirst(), 1));
        for (Touch t : byTime) credits.add(credit(Model.linear, t, 1.0 / byTime.size()));
        return credits;
    }

    /** The touches worth keeping at {@code now}: those an order placed from now on could still be credited to. */
    static List<Touch> keep(List<Touch> touches, Instant now, Windows windows, int max) {
        return latest(touches.stream().filter(t -> !t.at().plus(windows.longest()).isBefore(now)).toList(), max);
    }

    /** The latest {@code max} touches, oldest first. */
    static List<Touch> latest(List<Touch> touches, int max) {
        List<Touch> kept = new ArrayList<>(touches);
        kept.sort(Comparator.comparing(Touch::at));
        return kept.size() <= max ? List.copyOf(kept) : List.copyOf(kept.subList(kept.size() - max, kept.size()));
    }

    private static Credit credit(Model model, Touch t, double share) {
        return new Credit(model, t.source(), t.step(), t.variant(), t.template(), share);
    }
}
