package dev.kindling.segment;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kindling.ingest.Times;
import dev.kindling.segment.Condition.Op;
import java.math.BigDecimal;
import java.time.Instant;

/** One comparison of an actual value (trait, property) with an expected one. A missing actual matches only not_exists / not_equals. */
final class Comparison {
    private Comparison() {}

    static boolean test(JsonNode actual, Op op, JsonNode expected) {
        boolean missing = actual == null || actual.isNull() || actual.isMissingNode();
        return switch (op) {
            case exists -> !missing;
            case not_exists -> missing;
            case equals -> !missing && same(actual, expected);
            case not_equals -> missing || !same(actual, expected);
            case contains -> !missing && contains(actual, expected);
            case in -> !missing && expected.isArray() && streamContains(expected, actual);
            case gt, gte, lt, lte -> !missing && ordered(actual, op, expected);
            case date_before, date_after -> !missing && dated(actual, op, expected);
        };
    }

    private static boolean same(JsonNode a, JsonNode b) {
        BigDecimal x = number(a), y = number(b);
        if (x != null && y != null) return x.compareTo(y) == 0;
        if (a.isValueNode() && b.isValueNode()) return a.asText().equalsIgnoreCase(b.asText());
        return a.equals(b);
    }

    private static boolean contains(JsonNode actual, JsonNode expected) {
        if (actual.isArray()) return streamContains(actual, expected);
        return actual.asText().toLowerCase().contains(expected.asText().toLowerCase());
    }

    private static boolean streamContains(JsonNode array, JsonNode value) {
        for (JsonNode item : array) if (same(item, value)) return true;
        return false;
    }

    private static boolean ordered(JsonNode actual, Op op, JsonNode expected) {
        BigDecimal x = number(actual), y = number(expected);
        if (x == null || y == null) return false;
        int c = x.compareTo(y);
        return switch (op) {
            case gt -> c > 0;
            case gte -> c >= 0;
            case lt -> c < 0;
            default -> c <= 0;
        };
    }

    private static boolean dated(JsonNode actual, Op op, JsonNode expected) {
        Instant x = instant(actual.asText()), y = instant(expected.asText());
        if (x == null || y == null) return false;
        return op == Op.date_before ? x.isBefore(y) : x.isAfter(y);
    }

    static BigDecimal number(JsonNode node) {
        if (node == null) return null;
        if (node.isNumber()) return node.decimalValue();
        if (node.isTextual()) {
            try {
                return new BigDecimal(node.asText().strip());
            } catch (NumberFormatException notANumber) {
                return null;
            }
        }
        return null;
    }

    /** A date-time with offset, or a date (midnight UTC); null when the text is neither. */
    static Instant instant(String text) {
        return Times.dateOrInstant(text);
    }
}
