package dev.kindling.handler;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kindling.json.Json;
import java.io.PrintStream;
import java.time.Instant;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The functions' logs, as Powertools for AWS Lambda writes them: one JSON object a line with {@code level},
 * {@code timestamp}, {@code service} (the function) and {@code message}, and the ids that say what it was about (the
 * shop, the campaign, the event, the route) as keys of their own, so CloudWatch Logs Insights filters on them. Never a
 * person's address or name: an email address in a message or a value is written as {@code <email>}, and callers pass
 * ids, not people. The level comes from {@code POWERTOOLS_LOG_LEVEL} (Powertools' own variable; INFO when unset), or
 * the {@value #LEVEL_PROPERTY} system property the local runtime sets (WARN, or DEBUG with {@code --verbose}).
 */
public final class Log {
    public enum Level { DEBUG, INFO, WARN, ERROR }

    public static final String LEVEL_PROPERTY = "kindling.log.level";
    private static final Pattern EMAIL = Pattern.compile("[A-Za-z0-9._%+'-]+@[A-Za-z0-9.-]+\\.[A-Za-z]{2,}");

    private Log() {}

    public static void debug(String message, Object... keysAndValues) {
        write(Level.DEBUG, message, null, keysAndValues);
    }

    public static void info(String message, Object... keysAndValues) {
        write(Level.INFO, message, null, keysAndValues);
    }

    public static void warn(String message, Throwable cause, Object... keysAndValues) {
        write(Level.WARN, message, cause, keysAndValues);
    }

    public static void error(String message, Throwable cause, Object... keysAndValues) {
        write(Level.ERROR, message, cause, keysAndValues);
    }

    /** Whether a line of this level is written. */
    public static boolean enabled(Level level) {
        return level.ordinal() >= threshold().ordinal();
    }

    private static void write(Level level, String message, Throwable cause, Object... keysAndValues) {
        if (!enabled(level)) return;
        PrintStream out = level.ordinal() >= Level.WARN.ordinal() ? System.err : System.out;
        out.println(line(level, message, cause, keysAndValues));
    }

    /** The line as written (for the tests that read it). */
    static String line(Level level, String message, Throwable cause, Object... keysAndValues) {
        ObjectNode line = Json.object().put("level", level.name()).put("timestamp", Instant.now().toString())
                .put("service", System.getenv().getOrDefault("AWS_LAMBDA_FUNCTION_NAME", "kindling")).put("message", redacted(message));
        for (int i = 0; i + 1 < keysAndValues.length; i += 2) {
            Object value = keysAndValues[i + 1];
            String key = String.valueOf(keysAndValues[i]);
            if (value == null) continue;
            if (value instanceof JsonNode node) line.set(key, redacted(node));
            else if (value instanceof Number n) line.put(key, n.doubleValue() == Math.rint(n.doubleValue()) ? n.longValue() : n.doubleValue());
            else line.put(key, redacted(String.valueOf(value)));
        }
        if (cause != null) line.put("error", cause.getClass().getSimpleName()).put("error_message", redacted(String.valueOf(cause.getMessage())));
        return Json.write(line);
    }

    static String redacted(String text) {
        return text == null ? null : EMAIL.matcher(text).replaceAll("<email>");
    }

    private static JsonNode redacted(JsonNode node) {
        return Json.read(redacted(Json.write(node)), JsonNode.class);
    }

    private static Level threshold() {
        String set = System.getProperty(LEVEL_PROPERTY, System.getenv("POWERTOOLS_LOG_LEVEL"));
        if (set == null) return Level.INFO;
        try {
            return Level.valueOf(set.strip().toUpperCase(Locale.ROOT).replace("WARNING", "WARN"));
        } catch (IllegalArgumentException unknown) {
            return Level.INFO;
        }
    }
}
