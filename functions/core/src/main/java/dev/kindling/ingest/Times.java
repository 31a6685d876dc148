package dev.kindling.ingest;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/** Timestamps as shops send them: ISO-8601 with an offset, or (WooCommerce's *_gmt fields) without one, meaning UTC. */
public final class Times {
    private Times() {}

    /** The instant, or null when absent or unreadable. */
    public static Instant parseOrNull(String text) {
        if (text == null || text.isBlank()) return null;
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException withoutOffset) {
            try {
                return LocalDateTime.parse(text).toInstant(ZoneOffset.UTC);
            } catch (DateTimeParseException unreadable) {
                return null;
            }
        }
    }

    /** A date-time with offset, or a date (midnight UTC), as traits hold them; null when the text is neither. */
    public static Instant dateOrInstant(String text) {
        if (text == null) return null;
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException notDateTime) {
            try {
                return LocalDate.parse(text).atStartOfDay().toInstant(ZoneOffset.UTC);
            } catch (DateTimeParseException notDate) {
                return null;
            }
        }
    }
}
