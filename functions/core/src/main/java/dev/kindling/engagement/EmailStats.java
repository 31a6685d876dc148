package dev.kindling.engagement;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;

/** Daily counts of SES events per journey or campaign, step and variant (or per template for one-off sends). */
public interface EmailStats {

    /** @param source {@code journey:<id>}, {@code campaign:<id>} or {@code template:<id>} */
    record Key(String source, String step, String variant) {}

    record Row(LocalDate day, Key key, Map<String, Long> counts) {}

    void count(String shopId, LocalDate day, Key key, String event);

    List<Row> read(String shopId, LocalDate from, LocalDate to);
}
