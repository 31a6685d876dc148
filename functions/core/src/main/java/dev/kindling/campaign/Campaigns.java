package dev.kindling.campaign;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kindling.segment.SegmentParser;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The campaigns Kindling ships ready ({@code campaigns/ready/*.yaml}, from the seeds' recurring campaigns): definitions
 * a shop reads, edits if it likes, and saves under the same id to switch one on. Their audiences name segments the shop
 * keeps; docs/campaigns.md gives each one's segment.
 */
public final class Campaigns {
    public static final List<String> READY = List.of("birthday", "expiring", "weekly-newsletter", "deals", "yesterdays-visitors");
    private static final Map<String, JsonNode> DEFINITIONS = load();

    private Campaigns() {}

    public static Map<String, JsonNode> ready() {
        return DEFINITIONS;
    }

    private static Map<String, JsonNode> load() {
        Map<String, JsonNode> all = new LinkedHashMap<>();
        for (String id : READY) {
            try (InputStream in = Campaigns.class.getResourceAsStream("/campaigns/ready/" + id + ".yaml")) {
                if (in == null) throw new IllegalStateException("campaigns/ready/" + id + ".yaml is not on the classpath");
                all.put(id, SegmentParser.yamlTree(new String(in.readAllBytes(), StandardCharsets.UTF_8)));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return Collections.unmodifiableMap(all);
    }
}
