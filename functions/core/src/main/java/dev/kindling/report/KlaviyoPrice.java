package dev.kindling.report;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kindling.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * What the same shop would pay Klaviyo a month ({@code report/klaviyo-prices.json}: its email plan's tiers by
 * active profiles), beside the AWS bill in the cost report. Above the last tier listed there is no price.
 */
public final class KlaviyoPrice {
    public record Tier(long upTo, double usd) {}

    /** The tier a count of profiles falls in; null above the last tier listed. */
    public record Quote(long profiles, Long tierUpTo, Double monthlyUsd, String source) {}

    private static final String SOURCE;
    private static final List<Tier> TIERS;

    static {
        try (InputStream in = KlaviyoPrice.class.getResourceAsStream("/report/klaviyo-prices.json")) {
            JsonNode doc = Json.MAPPER.readTree(in);
            SOURCE = doc.path("source").asText();
            List<Tier> tiers = new ArrayList<>();
            doc.path("tiers").forEach(t -> tiers.add(new Tier(t.path("upTo").asLong(), t.path("usd").asDouble())));
            TIERS = List.copyOf(tiers);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private KlaviyoPrice() {}

    public static Quote monthly(long profiles) {
        for (Tier t : TIERS) {
            if (profiles <= t.upTo()) return new Quote(profiles, t.upTo(), t.usd(), SOURCE);
        }
        return new Quote(profiles, null, null, SOURCE);
    }
}
