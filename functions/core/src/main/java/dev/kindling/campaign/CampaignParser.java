package dev.kindling.campaign;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kindling.email.EmailTemplate;
import dev.kindling.email.TemplateTypes;
import dev.kindling.json.Json;
import dev.kindling.send.SendRequest;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * Reads a campaign definition and names every problem by its path, as the segment and journey languages do
 * (docs/campaigns.md has the whole language):
 *
 * <pre>
 * name: Weekly newsletter
 * enabled: true                                   # default true
 * audience:
 *   segments: [newsletter]                        # the members at the run's time
 *   exclude: [bought-this-week]
 *   date: {trait: birthday, yearly: true}         # optional: only those whose date is today (daysBefore: 7, a week ahead)
 * message: {template: weekly-newsletter}          # or variants: [{id: a, template: …, weight: 50}, {id: b, template: …}]
 *                                                # channel: sms makes it a text campaign (sms templates)
 *                                                # coupon: welcome gives each recipient a unique code ({{ coupon.code }})
 *                                                # variants of one template: template: sale, variants: [{id: a, subject: …},
 *                                                #   {id: b, subject: …, preheader: …, fromName: …}]
 * schedule:                                       # none: only POST /admin/campaigns/{id}/run
 *   cron: "0 9 ? * MON *"                         # or rate: 3 hours, or at: 2026-12-24T09:00
 *   zone: Europe/Berlin                           # an IANA zone, or contact: each contact's own zone
 *   until: 2027-06-30                             # no run after it
 *   window: PT15M                                 # Scheduler may fire up to so late (flexible time window)
 *   bestTime: true                                # each contact at their best hour of the day (their zone; 08:00-21:00),
 *                                                # or bestTime: {from: 9, to: 20}; the stated hour for those with no signal
 * holdoutPercent: 10
 * topic: newsletter
 * test: {percent: 20, metric: opens, after: PT4H, probability: 0.95, minPerVariant: 500}   # metric: opens, clicks,
 *                                                # conversions or revenue (per recipient, credited by last touch)
 * frequencyCap: true                              # the shop's cap and quiet hours hold members back (default); false: not
 * quietHours: true
 * </pre>
 */
public final class CampaignParser {
    private static final String ID = "[a-z0-9][a-z0-9-]{0,39}";
    private static final String VARIANT = "[a-z0-9][a-z0-9_-]{0,15}";
    static final int MAX_VARIANTS = 8;
    static final int MAX_SEGMENTS = 10;
    private static final Set<String> KEYS = Set.of("name", "enabled", "audience", "message", "schedule", "holdoutPercent", "topic", "test", "frequencyCap", "quietHours");

    /** The definition's problems, each with its path. */
    public static final class InvalidCampaign extends IllegalArgumentException {
        private final List<String> problems;

        public InvalidCampaign(List<String> problems) {
            super(String.join("; ", problems));
            this.problems = List.copyOf(problems);
        }

        public List<String> problems() {
            return problems;
        }
    }

    private CampaignParser() {}

    /**
     * @param templateExists whether the shop has a template of that id
     * @param segmentExists  whether the shop has a segment of that id (a run reads its members)
     * @param couponExists   whether the shop has a coupon of that id
     */
    public static Campaign parse(String id, JsonNode doc, TemplateTypes templateExists, Predicate<String> segmentExists,
                                 Predicate<String> couponExists) {
        List<String> problems = new ArrayList<>();
        if (id == null || !id.matches(ID)) problems.add("id: 1-40 lower-case letters, digits or '-'");
        if (doc == null || !doc.isObject()) throw new InvalidCampaign(List.of("a campaign must be an object with audience and message"));
        doc.fieldNames().forEachRemaining(k -> {
            if (!KEYS.contains(k)) problems.add(k + ": not a campaign field (" + String.join(", ", new TreeSet<>(KEYS)) + ")");
        });
        JsonNode enabled = doc.path("enabled");
        if (!enabled.isMissingNode() && !enabled.isBoolean()) problems.add("enabled: true or false");
        Campaign.Audience audience = audience(doc.path("audience"), segmentExists, problems);
        String channel = doc.path("message").path("channel").asText(EmailTemplate.EMAIL);
        if (!List.of(EmailTemplate.EMAIL, EmailTemplate.SMS).contains(channel)) problems.add("message.channel: email (the default) or sms");
        List<Campaign.Variant> variants = variants(doc.path("message"), channel, templateExists, problems);
        Campaign.Schedule schedule = schedule(doc.path("schedule"), problems);
        int holdout = bounded(doc, "", "holdoutPercent", 0, 50, 0, problems);
        String topic = Json.text(doc, "topic");
        if (topic != null && !topic.matches("[a-z0-9_]{1,32}")) problems.add("topic: 1-32 of a-z 0-9 _ (a preference-centre topic)");
        Campaign.Test test = test(doc.path("test"), variants, problems);
        String coupon = Json.text(doc.path("message"), "coupon");
        if (coupon != null && !couponExists.test(coupon)) problems.add("message.coupon: the shop has no coupon " + coupon);
        for (String rule : List.of("frequencyCap", "quietHours")) {
            if (doc.has(rule) && !doc.get(rule).isBoolean()) problems.add(rule + ": true (the shop's rule applies, the default) or false");
        }
        if (!problems.isEmpty()) throw new InvalidCampaign(problems);
        return new Campaign(id, doc.path("name").asText(id), enabled.asBoolean(true), audience, variants, schedule, holdout, topic, test,
                doc.path("frequencyCap").asBoolean(true), doc.path("quietHours").asBoolean(true), channel, coupon);
    }

    /** A definition that passed {@link #parse} when it was saved. */
    public static Campaign stored(String id, JsonNode doc) {
        return parse(id, doc, TemplateTypes.ANY, s -> true, c -> true);
    }

    private static Campaign.Audience audience(JsonNode a, Predicate<String> segmentExists, List<String> problems) {
        if (!a.isObject()) {
            problems.add("audience: {segments: [ids], exclude: [ids]} is required");
            return new Campaign.Audience(List.of(), List.of(), null);
        }
        List<String> segments = ids(a, "segments", segmentExists, problems);
        if (segments.isEmpty() && a.path("segments").isArray()) problems.add("audience.segments: at least one segment");
        if (a.path("segments").isMissingNode()) problems.add("audience.segments: the segments whose members get the campaign");
        List<String> exclude = ids(a, "exclude", segmentExists, problems);
        Campaign.DateTrait date = null;
        JsonNode d = a.path("date");
        if (!d.isMissingNode()) {
            String trait = Json.text(d, "trait");
            if (trait == null || !trait.matches("[A-Za-z][A-Za-z0-9_]{0,63}")) problems.add("audience.date.trait: the date trait to compare (birthday, expires_on …)");
            JsonNode before = d.path("daysBefore");
            if (!before.isMissingNode() && (!before.isInt() || before.asInt() < 0 || before.asInt() > 366)) problems.add("audience.date.daysBefore: 0-366 days");
            date = new Campaign.DateTrait(trait, before.asInt(0), d.path("yearly").asBoolean("birthday".equals(trait)));
        }
        return new Campaign.Audience(segments, exclude, date);
    }

    private static List<String> ids(JsonNode a, String field, Predicate<String> segmentExists, List<String> problems) {
        JsonNode list = a.path(field);
        if (list.isMissingNode()) return List.of();
        if (!list.isArray()) {
            problems.add("audience." + field + ": a list of segment ids");
            return List.of();
        }
        if (list.size() > MAX_SEGMENTS) problems.add("audience." + field + ": at most " + MAX_SEGMENTS + " segments");
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            String s = list.get(i).asText("");
            if (!segmentExists.test(s)) problems.add("audience." + field + "[" + i + "]: the shop has no segment " + s);
            else if (!ids.contains(s)) ids.add(s);
        }
        return List.copyOf(ids);
    }

    private static List<Campaign.Variant> variants(JsonNode m, String channel, TemplateTypes templateExists, List<String> problems) {
        if (!m.isObject()) {
            problems.add("message: {template: id} or {variants: [{id, template, weight}]} is required");
            return List.of();
        }
        if (m.has("template") && !m.has("variants")) {
            String t = m.path("template").asText("");
            String refused = templateExists.refusal(t, channel);
            if (refused != null) problems.add("message.template: " + (refused.startsWith("no template") ? "the shop has " : "") + refused);
            return List.of(new Campaign.Variant("a", t, 100, null));
        }
        JsonNode list = m.path("variants");
        if (!list.isArray() || list.size() < 2 || list.size() > MAX_VARIANTS) {
            problems.add("message.variants: 2-" + MAX_VARIANTS + " variants, each {id, template, weight}");
            return List.of();
        }
        String shared = Json.text(m, "template"); // variants of one template change its subject, preheader or sender name
        List<Campaign.Variant> variants = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < list.size(); i++) {
            JsonNode v = list.get(i);
            String at = "message.variants[" + i + "]";
            String vid = v.path("id").asText("");
            String t = v.path("template").asText(shared == null ? "" : shared);
            if (!vid.matches(VARIANT)) problems.add(at + ".id: 1-16 of a-z 0-9 _ -");
            else if (!seen.add(vid)) problems.add(at + ".id: " + vid + " twice");
            String refused = templateExists.refusal(t, channel);
            if (refused != null) problems.add(at + ".template: " + (refused.startsWith("no template") ? "the shop has " : "") + refused);
            JsonNode w = v.path("weight");
            if (!w.isMissingNode() && (!w.isInt() || w.asInt() < 1 || w.asInt() > 100)) problems.add(at + ".weight: 1-100");
            SendRequest.Variation variation = new SendRequest.Variation(Json.text(v, "subject"), Json.text(v, "preheader"), Json.text(v, "fromName"));
            if (!variation.isEmpty() && EmailTemplate.SMS.equals(channel)) problems.add(at + ": subject, preheader and fromName are an email's; a text has none");
            for (String field : List.of("subject", "preheader", "fromName")) {
                String value = Json.text(v, field);
                if (value != null && (value.isBlank() || value.length() > 200)) problems.add(at + "." + field + ": 1-200 characters");
            }
            variants.add(new Campaign.Variant(vid, t, w.asInt(1), variation.isEmpty() ? null : variation));
        }
        return List.copyOf(variants);
    }

    private static Campaign.Schedule schedule(JsonNode s, List<String> problems) {
        if (s.isMissingNode() || s.isNull()) return Campaign.Schedule.ON_DEMAND;
        if (!s.isObject()) {
            problems.add("schedule: {cron: …} or {rate: …} or {at: …}, with zone");
            return Campaign.Schedule.ON_DEMAND;
        }
        List<String> given = Stream.of("cron", "rate", "at").filter(s::has).toList();
        if (given.size() != 1) {
            problems.add("schedule: exactly one of cron, rate, at");
            return Campaign.Schedule.ON_DEMAND;
        }
        Campaign.SendHours bestTime = bestTime(s.path("bestTime"), problems);
        String zoneText = s.path("zone").asText(bestTime != null ? "contact" : "UTC");
        boolean contactZone = zoneText.equals("contact");
        if (bestTime != null && !contactZone) problems.add("schedule.bestTime: each contact's best hour is in their own zone (zone: contact, or leave zone out)");
        ZoneId zone = Campaign.Schedule.UTC;
        if (!contactZone) {
            try {
                zone = ZoneId.of(zoneText);
            } catch (DateTimeException bad) {
                problems.add("schedule.zone: an IANA time zone (Europe/Berlin) or contact; not " + zoneText);
            }
        }
        String kind = given.getFirst();
        String value = s.path(kind).asText("");
        String expression = switch (kind) {
            case "cron" -> "cron(" + value + ")";
            case "rate" -> "rate(" + value + ")";
            default -> atExpression(yamlTime(s.path("at"), 19), problems);
        };
        if (expression == null) return Campaign.Schedule.ON_DEMAND;
        try {
            ScheduleExpression.parse(expression, zone);
        } catch (IllegalArgumentException bad) {
            problems.add("schedule." + kind + ": " + bad.getMessage());
            return Campaign.Schedule.ON_DEMAND;
        }
        if (contactZone && kind.equals("rate")) {
            problems.add(bestTime != null ? "schedule.bestTime: needs a day (cron or at), not a rate" : "schedule.zone: contact needs a time of day (cron or at), not a rate");
        }
        if (contactZone && kind.equals("cron") && !value.strip().split("\\s+")[0].matches("\\d{1,2}")) {
            problems.add("schedule.cron: in each contact's zone the minute must be one number (the run fires on the hour)");
        }
        Duration window = Duration.ZERO;
        if (s.has("window")) {
            try {
                window = Duration.parse(s.path("window").asText());
                if (window.isNegative() || window.compareTo(Duration.ofHours(4)) > 0) problems.add("schedule.window: PT1M-PT4H (Scheduler's flexible window)");
            } catch (DateTimeParseException bad) {
                problems.add("schedule.window: an ISO-8601 duration such as PT15M");
            }
        }
        Instant until = null;
        if (s.has("until")) {
            try {
                until = LocalDate.parse(yamlTime(s.path("until"), 10)).plusDays(1).atStartOfDay(contactZone ? ZoneOffset.UTC : zone).toInstant();
            } catch (DateTimeParseException bad) {
                problems.add("schedule.until: a date such as 2027-06-30");
            }
        }
        if (contactZone && kind.equals("at")) {
            // the last zone reaches that local time about 26 hours after the first: Scheduler fires hourly until then
            LocalDateTime at = ScheduleExpression.parse(expression, ZoneOffset.UTC).at();
            // at each contact's best time: the last hour of the day's window, in the last zone
            LocalDateTime last = bestTime == null ? at : at.toLocalDate().atTime(bestTime.to() - 1, 0);
            until = last.atOffset(ZoneOffset.ofHours(-12)).toInstant().plus(Duration.ofHours(1));
        }
        return new Campaign.Schedule(expression, zone, contactZone, window, until, bestTime);
    }

    private static Campaign.SendHours bestTime(JsonNode b, List<String> problems) {
        if (b.isMissingNode() || b.isNull() || (b.isBoolean() && !b.asBoolean())) return null;
        if (b.isBoolean()) return Campaign.SendHours.DAYTIME;
        if (!b.isObject()) {
            problems.add("schedule.bestTime: true, or {from: 8, to: 21} (local hours it may choose from)");
            return null;
        }
        int from = bounded(b, "schedule.bestTime.", "from", 0, 23, Campaign.SendHours.DAYTIME.from(), problems);
        int to = bounded(b, "schedule.bestTime.", "to", 1, 24, Campaign.SendHours.DAYTIME.to(), problems);
        if (to <= from) problems.add("schedule.bestTime: from before to");
        return new Campaign.SendHours(from, to);
    }

    /**
     * A date or a local date-time as written: YAML reads an unquoted {@code 2027-06-30} as a timestamp, which arrives
     * here as {@code 2027-06-30T00:00:00.000+00:00}; its first characters are what the shop wrote.
     */
    private static String yamlTime(JsonNode node, int length) {
        String text = node.asText("");
        return text.matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}\\+00:00") ? text.substring(0, length) : text;
    }

    private static String atExpression(String value, List<String> problems) {
        try {
            return "at(" + LocalDateTime.parse(value).withSecond(0).withNano(0).format(DateTimeFormatter.ISO_LOCAL_DATE_TIME) + ")";
        } catch (DateTimeParseException bad) {
            problems.add("schedule.at: a local date and time such as 2026-12-24T09:00");
            return null;
        }
    }

    private static Campaign.Test test(JsonNode t, List<Campaign.Variant> variants, List<String> problems) {
        if (t.isMissingNode()) return null;
        if (!t.isObject()) {
            problems.add("test: {percent, metric, after, probability, minPerVariant}");
            return null;
        }
        if (variants.size() < 2) problems.add("test: a test needs message.variants (two or more)");
        int percent = bounded(t, "test.", "percent", 2, 50, 20, problems);
        Campaign.Metric metric = null;
        try {
            metric = Campaign.Metric.valueOf(t.path("metric").asText("opens"));
        } catch (IllegalArgumentException bad) {
            problems.add("test.metric: opens, clicks, conversions or revenue");
        }
        Duration after = Duration.ofHours(4);
        if (t.has("after")) {
            try {
                after = Duration.parse(t.path("after").asText());
                if (after.compareTo(Duration.ofHours(1)) < 0 || after.compareTo(Duration.ofDays(7)) > 0) problems.add("test.after: PT1H-P7D");
            } catch (DateTimeParseException bad) {
                problems.add("test.after: an ISO-8601 duration such as PT4H");
            }
        }
        double probability = t.path("probability").asDouble(0.95);
        if (!t.path("probability").isMissingNode() && (!t.path("probability").isNumber() || probability < 0.5 || probability >= 1)) {
            problems.add("test.probability: 0.5 up to (not including) 1, such as 0.95");
        }
        int min = bounded(t, "test.", "minPerVariant", 1, 1_000_000, 500, problems);
        return new Campaign.Test(percent, metric, after, probability, min);
    }

    private static int bounded(JsonNode doc, String at, String field, int min, int max, int otherwise, List<String> problems) {
        JsonNode v = doc.path(field);
        if (v.isMissingNode()) return otherwise;
        if (!v.isInt() || v.asInt() < min || v.asInt() > max) {
            problems.add(at + field + ": a whole number " + min + "-" + max);
            return otherwise;
        }
        return v.asInt();
    }
}
