package dev.kindling.coupon;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kindling.json.Json;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * A coupon as the shop writes it ({@code PUT /admin/coupons/{id}}): where its unique codes come from, what they take
 * off, from what order total, for how long after they are given, and when the pool is low.
 *
 * <pre>
 * name: Welcome 10%
 * source: pool                 # codes the shop uploads, handed out once each; or shopify / woocommerce: made per person
 *                              #   on the platform when given (PlatformCodes)
 * codes: [WELCOME-7KQ2, …]     # pool only: added to the pool when saved (a code the shop has already is left out)
 * prefix: WELCOME-             # shopify and woocommerce: the made codes' start (default: the id, upper case, and '-')
 * discount: {percent: 10}      # or {amount: 5.00, currency: USD}
 * minimumOrder: 50.00          # optional, in the shop's currency
 * expiresAfter: P14D           # how long a code works after it is given (ISO-8601)
 * lowPoolWarning: 50           # pool only: below this many codes left, the coupon says so
 * </pre>
 */
public record Coupon(String id, String name, String source, List<String> codes, BigDecimal percent, BigDecimal amount, String currency,
                     BigDecimal minimumOrder, Duration expiresAfter, int lowPoolWarning, String prefix) {

    public static final String POOL = "pool";
    public static final String SHOPIFY = "shopify";
    public static final String WOOCOMMERCE = "woocommerce";
    static final String ID = "[a-z0-9][a-z0-9-]{0,39}";
    static final Set<String> KEYS = Set.of("name", "source", "codes", "discount", "minimumOrder", "expiresAfter", "lowPoolWarning", "prefix");
    /** Codes one document may carry; a larger pool is uploaded in several saves (each adds its codes). */
    static final int MAX_CODES = 5_000;
    private static final String CODE = "[A-Za-z0-9][A-Za-z0-9_-]{2,63}";

    /** A coupon document that cannot be saved, with every problem named by its field. */
    public static final class Invalid extends IllegalArgumentException {
        private final List<String> problems;

        public Invalid(List<String> problems) {
            super(String.join("; ", problems));
            this.problems = List.copyOf(problems);
        }

        public List<String> problems() {
            return problems;
        }
    }

    /** When a code given at {@code given} stops working. */
    public Instant expiresAt(Instant given) {
        return given.plus(expiresAfter);
    }

    public static Coupon parse(String id, JsonNode doc) {
        List<String> problems = new ArrayList<>();
        if (id == null || !id.matches(ID)) problems.add("id: 1-40 lower-case letters, digits or '-'");
        if (doc == null || !doc.isObject()) throw new Invalid(List.of("a coupon must be an object with source, discount and expiresAfter"));
        doc.fieldNames().forEachRemaining(k -> {
            if (!KEYS.contains(k)) problems.add(k + ": not a coupon field (" + String.join(", ", new TreeSet<>(KEYS)) + ")");
        });
        String source = doc.path("source").asText("");
        if (!List.of(POOL, SHOPIFY, WOOCOMMERCE).contains(source)) problems.add("source: pool (codes the shop uploads), shopify or woocommerce (made per person)");
        List<String> codes = codes(doc.path("codes"), source, problems);
        JsonNode discount = doc.path("discount");
        BigDecimal percent = decimal(discount, "percent", problems);
        BigDecimal amount = decimal(discount, "amount", problems);
        String currency = Json.text(discount, "currency");
        if (!discount.isObject() || (percent == null) == (amount == null)) {
            problems.add("discount: {percent: 10} or {amount: 5.00, currency: USD}");
        } else if (percent != null && (percent.signum() <= 0 || percent.compareTo(BigDecimal.valueOf(100)) > 0)) {
            problems.add("discount.percent: above 0, at most 100");
        } else if (amount != null && (amount.signum() <= 0 || currency == null || !currency.matches("[A-Z]{3}"))) {
            problems.add("discount: an amount above 0 with its currency (an ISO 4217 code such as USD)");
        }
        BigDecimal minimum = decimal(doc, "minimumOrder", problems);
        if (minimum != null && minimum.signum() < 0) problems.add("minimumOrder: 0 or more");
        Duration expires = null;
        try {
            expires = Duration.parse(doc.path("expiresAfter").asText(""));
            if (expires.isNegative() || expires.isZero() || expires.compareTo(Duration.ofDays(366)) > 0) problems.add("expiresAfter: from PT1H to P366D");
        } catch (DateTimeParseException bad) {
            problems.add("expiresAfter: how long a code works once given, an ISO-8601 duration such as P14D");
        }
        JsonNode low = doc.path("lowPoolWarning");
        if (!low.isMissingNode() && (!low.isInt() || low.asInt() < 0)) problems.add("lowPoolWarning: a whole number of codes, 0 or more");
        String prefix = doc.path("prefix").asText(id == null ? "" : id.toUpperCase(Locale.ROOT) + "-");
        if (!prefix.matches("[A-Z0-9-]{0,24}")) problems.add("prefix: up to 24 of A-Z, 0-9 and '-'");
        if (POOL.equals(source) && doc.has("prefix")) problems.add("prefix: only codes made per person (shopify, woocommerce) have one");
        if (!problems.isEmpty()) throw new Invalid(problems);
        return new Coupon(id, doc.path("name").asText(id), source, codes, percent, amount, currency, minimum, expires, low.asInt(0), prefix);
    }

    private static List<String> codes(JsonNode list, String source, List<String> problems) {
        if (list.isMissingNode()) return List.of();
        if (!POOL.equals(source)) {
            problems.add("codes: only a pool coupon has codes (" + source + " makes one per person)");
            return List.of();
        }
        if (!list.isArray()) {
            problems.add("codes: a list of codes");
            return List.of();
        }
        if (list.size() > MAX_CODES) problems.add("codes: at most " + MAX_CODES + " a save (save again to add more)");
        Set<String> codes = new LinkedHashSet<>();
        for (int i = 0; i < list.size() && i < MAX_CODES; i++) {
            String code = list.get(i).asText("").strip();
            if (!code.matches(CODE)) problems.add("codes[" + i + "]: 3-64 letters, digits, '-' or '_'");
            else if (!codes.add(code.toUpperCase(Locale.ROOT))) problems.add("codes[" + i + "]: " + code + " twice");
        }
        return List.copyOf(codes);
    }

    private static BigDecimal decimal(JsonNode node, String field, List<String> problems) {
        JsonNode v = node.path(field);
        if (v.isMissingNode() || v.isNull()) return null;
        try {
            return new BigDecimal(v.asText());
        } catch (NumberFormatException notANumber) {
            problems.add(field + ": a number");
            return null;
        }
    }
}
