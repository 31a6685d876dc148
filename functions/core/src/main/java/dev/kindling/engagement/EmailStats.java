package dev.kindling.engagement;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;

/**
 * Daily counts of SES events per journey or campaign, step and variant (or per template for one-off sends). A
 * journey's own counters sit beside them: the journey's entries and ends under the step {@code journey}, and
 * each step's arrivals ({@code reached}) and exits ({@code exited_<reason>}) under the step.
 */
public interface EmailStats {
    String REACHED = "reached";
    String EXITED = "exited_";

    /** @param source {@code journey:<id>}, {@code campaign:<id>} or {@code template:<id>} */
    record Key(String source, String step, String variant) {}

    record Row(LocalDate day, Key key, Map<String, Long> counts) {}

    /** The source an email is counted under: its journey, else its campaign, else its template (a one-off send). */
    static String source(String journey, String campaign, String template) {
        return journey != null ? "journey:" + journey : campaign != null ? "campaign:" + campaign : "template:" + template;
    }

    /** Whether a counter is a journey step's own (an arrival or an exit) rather than one of SES's events. */
    static boolean stepCounter(String name) {
        return name.equals(REACHED) || name.startsWith(EXITED);
    }

    void count(String shopId, LocalDate day, Key key, String event);

    List<Row> read(String shopId, LocalDate from, LocalDate to);
}
