package dev.kindling.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kindling.email.TemplateTypes;
import dev.kindling.campaign.CampaignParser;
import dev.kindling.coupon.Coupon;
import dev.kindling.email.EmailSettings;
import dev.kindling.email.EmailTemplate;
import dev.kindling.email.SampleData;
import dev.kindling.email.TemplateLibrary;
import dev.kindling.journey.flow.Journeys;
import dev.kindling.scoring.ScoringModel;
import dev.kindling.segment.SegmentIndex;
import dev.kindling.segment.SegmentParser;
import dev.kindling.segment.SegmentParser.InvalidSegment;
import dev.kindling.settings.ShopSettings;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A shop's configuration checked offline, with the parsers and checks the admin API runs before it saves each
 * document, and the references between documents: a template's topic in the settings, a segment's segments, a journey's
 * templates, a campaign's templates and segments (what the folder has, and the templates Kindling ships). Each problem
 * reads {@code file: path: message}. What only the deployment knows (the sender's verified domain) is the server's to
 * check when the folder is applied.
 */
public final class ConfigCheck {
    private ConfigCheck() {}

    public static List<String> problems(ShopConfig config) {
        List<String> problems = new ArrayList<>();
        EmailSettings settings = config.get(ConfigKind.SETTINGS, "settings").map(d -> {
            List<String> found = new ArrayList<>();
            EmailSettings parsed = EmailSettings.parse(d.body(), found);
            found.forEach(into(problems, d));
            return parsed;
        }).orElse(EmailSettings.DEFAULTS);
        if (settings.loyalty() != null) {
            for (String named : settings.loyalty().coupons()) {
                if (!config.bodies(ConfigKind.COUPONS).containsKey(named)) {
                    problems.add(ConfigKind.SETTINGS.file("settings") + ": loyalty: no coupon " + named + " (" + ConfigKind.COUPONS.file(named) + ")");
                }
            }
        }
        config.get(ConfigKind.SCORING, "scoring").ifPresent(d -> {
            try {
                ScoringModel.parse(d.body());
            } catch (InvalidSegment invalid) {
                invalid.problems().forEach(into(problems, d));
            }
        });

        Map<String, JsonNode> readable = new LinkedHashMap<>();
        config.bodies(ConfigKind.TEMPLATES).forEach((id, body) -> {
            try {
                EmailTemplate.of(body);
                readable.put(id, body);
            } catch (IllegalArgumentException unreadable) {
                problems.add(ConfigKind.TEMPLATES.file(id) + ": " + String.valueOf(unreadable.getMessage()).lines().findFirst().orElse("unreadable"));
            }
        });
        TemplateLibrary library = TemplateLibrary.of(readable);
        Map<String, Object> sample = SampleData.variables(settings.brand() == null || settings.brand().name() == null ? "Shop" : settings.brand().name(), settings);
        for (String id : readable.keySet()) {
            library.saveProblems(id, settings, sample).forEach(p -> problems.add(ConfigKind.TEMPLATES.file(id) + ": " + p));
        }

        config.bodies(ConfigKind.COUPONS).forEach((id, body) -> {
            try {
                Coupon.parse(id, body);
            } catch (Coupon.Invalid invalid) {
                invalid.problems().forEach(p -> problems.add(ConfigKind.COUPONS.file(id) + ": " + p));
            }
        });
        SegmentIndex segments = segments(config, problems);
        config.bodies(ConfigKind.JOURNEYS).forEach((id, body) -> {
            String file = ConfigKind.JOURNEYS.file(id);
            Journeys.problems(id, body, TemplateTypes.of(library)).forEach(p -> problems.add(file + ": " + p));
            Journeys.tooLarge(id, body).ifPresent(p -> problems.add(file + ": " + p));
        });
        config.bodies(ConfigKind.CAMPAIGNS).forEach((id, body) -> {
            try {
                CampaignParser.parse(id, body, TemplateTypes.of(library), segments::contains, config.bodies(ConfigKind.COUPONS)::containsKey);
            } catch (CampaignParser.InvalidCampaign invalid) {
                invalid.problems().forEach(p -> problems.add(ConfigKind.CAMPAIGNS.file(id) + ": " + p));
            }
        });
        return problems;
    }

    /** Each segment on its own, then all of them together (what they name exists, and no two name each other in a circle). */
    private static SegmentIndex segments(ShopConfig config, List<String> problems) {
        Map<String, JsonNode> valid = new LinkedHashMap<>();
        config.bodies(ConfigKind.SEGMENTS).forEach((id, body) -> {
            String file = ConfigKind.SEGMENTS.file(id);
            if (body.has("id") && !id.equals(body.path("id").asText())) {
                problems.add(file + ": id: '" + body.path("id").asText() + "' differs from the file's name '" + id + "'");
                return;
            }
            ObjectNode withId = ((ObjectNode) body).deepCopy().put("id", id);
            try {
                SegmentParser.parse(withId);
                valid.put(id, withId);
            } catch (InvalidSegment invalid) {
                invalid.problems().forEach(p -> problems.add(file + ": " + p));
            }
        });
        try {
            return ShopSettings.index(valid);
        } catch (InvalidSegment invalid) {
            invalid.problems().forEach(p -> problems.add(ConfigKind.SEGMENTS.folder() + "/: " + p));
        } catch (IllegalArgumentException refused) {
            problems.add(ConfigKind.SEGMENTS.folder() + "/: condition: " + refused.getMessage());
        }
        return ShopSettings.index(Map.of());
    }

    private static Consumer<String> into(List<String> problems, ConfigDocument d) {
        return p -> problems.add(d.file() + ": " + p);
    }
}
