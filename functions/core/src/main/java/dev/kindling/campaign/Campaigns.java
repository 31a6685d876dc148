package dev.kindling.campaign;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kindling.json.YamlDocuments;
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
            all.put(id, YamlDocuments.resource("/campaigns/ready/" + id + ".yaml"));
        }
        return Collections.unmodifiableMap(all);
    }
}
