package dev.kindling.email;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import dev.kindling.json.Json;
import dev.kindling.loyalty.LoyaltyProgramme;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * A shop's email settings: sender, brand (every template can read it), the frequency cap shared
 * by all journeys and campaigns, quiet hours, when soft bounces suppress an address, whether
 * sign-ups need double opt-in, and the topics the preference centre offers.
 *
 * @param fromAddress null: the deployment's sender address
 * @param sms         text messages: their own quiet hours and cap (the shop's {@code frequencyCap} counts emails and
 *                    texts together), the longest text, the help answer, how numbers without a country code are read
 * @param loyalty     the shop's loyalty programme (points, tiers, rewards, referrals); null: none
 * @param linkDomains the shop's own domains beside its website's (brand {@code websiteUrl}): a link from event or
 *                    catalog data reaches an email only on these (and their subdomains), see {@code send.LinkPolicy}
 */
public record EmailSettings(
        @JsonProperty("fromAddress") String fromAddress,
        @JsonProperty("fromName") String fromName,
        @JsonProperty("replyTo") String replyTo,
        @JsonProperty("currency") String currency,
        @JsonProperty("brand") Brand brand,
        @JsonProperty("frequencyCap") FrequencyCap frequencyCap,
        @JsonProperty("quietHours") QuietHours quietHours,
        @JsonProperty("softBounceLimit") Integer softBounceLimit,
        @JsonProperty("doubleOptIn") Boolean doubleOptIn,
        @JsonProperty("topics") List<Topic> topics,
        @JsonProperty("attribution") Attribution attribution,
        @JsonProperty("linkDomains") List<String> linkDomains,
        @JsonProperty("sms") Sms sms,
        @JsonProperty("loyalty") LoyaltyProgramme loyalty) {

    /**
     * What governs text messages.
     *
     * @param senderName     how texts name the shop ("Acme: …"); null: the brand's name, else the shop's
     * @param quietHours     no marketing text between start and end in the contact's zone (US rules expect none
     *                       before 08:00 or after 21:00); its default zone, when left out, is the email quiet hours'
     * @param frequencyCap   at most this many marketing texts per person, beside the shop's cap across channels
     * @param maxSegments    a text longer than this many segments (each billed as one message) is not sent
     * @param helpText       the answer to a HELP; null: the sender's name and how to stop
     * @param defaultCountry ISO 3166 code a number without {@code +} is read in when the contact's country is unknown
     * @param doubleOptIn    whether a sign-up form's box for texts asks the number to confirm by replying YES (default)
     */
    public record Sms(@JsonProperty("senderName") String senderName, @JsonProperty("quietHours") QuietHours quietHours,
                      @JsonProperty("frequencyCap") FrequencyCap frequencyCap, @JsonProperty("maxSegments") Integer maxSegments,
                      @JsonProperty("helpText") String helpText, @JsonProperty("defaultCountry") String defaultCountry,
                      @JsonProperty("doubleOptIn") Boolean doubleOptIn) {
        static final Sms DEFAULTS = new Sms(null, new QuietHours("21:00", "08:00", null), new FrequencyCap(1, 24, "defer"), 3, null, "US", true);

        Sms orDefaults() {
            Sms d = DEFAULTS;
            return new Sms(senderName, quietHours != null ? quietHours : d.quietHours, frequencyCap != null ? frequencyCap : d.frequencyCap,
                    maxSegments != null ? maxSegments : d.maxSegments, helpText, defaultCountry != null ? defaultCountry : d.defaultCountry,
                    doubleOptIn != null ? doubleOptIn : d.doubleOptIn);
        }
    }

    /**
     * How orders are credited to emails: within {@code clickDays} after a click or {@code openDays}
     * after an open (Klaviyo's defaults, 5 and 5); a journey's or campaign's holdout groups are
     * compared on the orders within {@code liftDays} after they entered.
     */
    public record Attribution(@JsonProperty("clickDays") Integer clickDays, @JsonProperty("openDays") Integer openDays,
                              @JsonProperty("liftDays") Integer liftDays) {
        /** The days left out taken from the defaults. */
        Attribution orDefaults(Attribution d) {
            return new Attribution(clickDays != null ? clickDays : d.clickDays, openDays != null ? openDays : d.openDays,
                    liftDays != null ? liftDays : d.liftDays);
        }

        private static boolean outside(Integer days, int min, int max) {
            return days != null && (days < min || days > max);
        }

        public Duration lift() {
            return Duration.ofDays(liftDays);
        }
    }

    /** What templates show: name and logo, colours, the shop's site, and the postal address the law asks for in marketing mail. */
    public record Brand(
            @JsonProperty("name") String name,
            @JsonProperty("logoUrl") String logoUrl,
            @JsonProperty("primaryColor") String primaryColor,
            @JsonProperty("websiteUrl") String websiteUrl,
            @JsonProperty("postalAddress") String postalAddress) {}

    /** At most {@code count} marketing emails per {@code hours} to one person; beyond it a send is deferred or skipped. */
    public record FrequencyCap(@JsonProperty("count") int count, @JsonProperty("hours") int hours,
                               @JsonProperty("whenReached") String whenReached) {
        public boolean defers() {
            return !"skip".equals(whenReached);
        }
    }

    /** No marketing email between start and end in the contact's time zone (or the default zone when unknown). */
    public record QuietHours(@JsonProperty("start") String start, @JsonProperty("end") String end,
                             @JsonProperty("defaultTimeZone") String defaultTimeZone) {
        public LocalTime startTime() {
            return LocalTime.parse(start);
        }

        public LocalTime endTime() {
            return LocalTime.parse(end);
        }

        public ZoneId defaultZone() {
            return defaultTimeZone == null ? ZoneId.of("UTC") : ZoneId.of(defaultTimeZone);
        }
    }

    public record Topic(@JsonProperty("id") String id, @JsonProperty("name") String name,
                        @JsonProperty("description") String description) {}

    public static final EmailSettings DEFAULTS = new EmailSettings(null, null, null, "USD",
            new Brand(null, null, "#1f6feb", null, null),
            new FrequencyCap(2, 24, "defer"),
            new QuietHours("21:00", "08:00", "UTC"),
            3, true,
            List.of(new Topic("newsletter", "Newsletter", "Stories and news from the shop"),
                    new Topic("deals", "Deals", "Offers, discounts and sales"),
                    new Topic("product_news", "Product news", "New arrivals and restocks")),
            new Attribution(5, 5, 30), List.of(), Sms.DEFAULTS, null);

    /** These settings with every field the shop left out taken from the defaults. */
    public EmailSettings withDefaults() {
        EmailSettings d = DEFAULTS;
        return new EmailSettings(fromAddress, fromName, replyTo, currency != null ? currency : d.currency,
                brand != null ? brand : d.brand, frequencyCap != null ? frequencyCap : d.frequencyCap,
                quietHours != null ? quietHours : d.quietHours, softBounceLimit != null ? softBounceLimit : d.softBounceLimit,
                doubleOptIn != null ? doubleOptIn : d.doubleOptIn, topics != null ? topics : d.topics,
                attribution != null ? attribution.orDefaults(d.attribution) : d.attribution,
                linkDomains != null ? List.copyOf(linkDomains) : d.linkDomains,
                (sms != null ? sms : d.sms).orDefaults(), loyalty == null ? null : loyalty.withDefaults());
    }

    private static void checkCap(String at, FrequencyCap cap, List<String> problems) {
        if (cap == null) return;
        if (cap.count < 1) problems.add(at + ".count: at least 1");
        if (cap.hours < 1 || cap.hours > 24 * 30) problems.add(at + ".hours: 1 to 720");
        if (cap.whenReached != null && !List.of("defer", "skip").contains(cap.whenReached)) problems.add(at + ".whenReached: defer or skip");
    }

    private static void checkQuietHours(String at, QuietHours quiet, List<String> problems) {
        if (quiet == null) return;
        try {
            quiet.startTime();
            quiet.endTime();
        } catch (DateTimeParseException | NullPointerException bad) {
            problems.add(at + ": start and end as HH:MM");
        }
        try {
            quiet.defaultZone();
        } catch (DateTimeException bad) {
            problems.add(at + ".defaultTimeZone: unknown time zone " + quiet.defaultTimeZone);
        }
    }

    /** SMS quiet hours, in the email quiet hours' default zone when they name none (the document keeps what the shop wrote). */
    public QuietHours textQuietHours() {
        QuietHours quiet = sms.quietHours;
        return quiet.defaultTimeZone() != null ? quiet : new QuietHours(quiet.start(), quiet.end(), quietHours.defaultTimeZone());
    }

    public boolean hasTopic(String id) {
        return topics.stream().anyMatch(t -> t.id().equals(id));
    }

    /** Parses and checks a settings document; every problem is named by its field. */
    public static EmailSettings parse(JsonNode doc, List<String> problems) {
        EmailSettings parsed;
        try {
            parsed = Json.MAPPER.treeToValue(doc, EmailSettings.class);
        } catch (Exception unreadable) {
            problems.add("settings: " + unreadable.getMessage().lines().findFirst().orElse("unreadable"));
            return DEFAULTS;
        }
        if (parsed.fromAddress != null && !parsed.fromAddress.matches("[^@\\s]+@[^@\\s]+\\.[^@\\s]+")) problems.add("fromAddress: not an email address");
        if (parsed.replyTo != null && !parsed.replyTo.matches("[^@\\s]+@[^@\\s]+\\.[^@\\s]+")) problems.add("replyTo: not an email address");
        if (parsed.currency != null && !parsed.currency.matches("[A-Z]{3}")) problems.add("currency: an ISO 4217 code such as EUR");
        checkCap("frequencyCap", parsed.frequencyCap, problems);
        checkQuietHours("quietHours", parsed.quietHours, problems);
        if (parsed.sms != null) {
            checkCap("sms.frequencyCap", parsed.sms.frequencyCap, problems);
            checkQuietHours("sms.quietHours", parsed.sms.quietHours, problems);
            if (parsed.sms.maxSegments != null && (parsed.sms.maxSegments < 1 || parsed.sms.maxSegments > 10)) problems.add("sms.maxSegments: 1 to 10");
            if (parsed.sms.defaultCountry != null && !parsed.sms.defaultCountry.matches("[A-Z]{2}")) problems.add("sms.defaultCountry: an ISO 3166 code such as US");
            if (parsed.sms.senderName != null && (parsed.sms.senderName.isBlank() || parsed.sms.senderName.length() > 30)) problems.add("sms.senderName: 1 to 30 characters");
            if (parsed.sms.helpText != null && (parsed.sms.helpText.isBlank() || parsed.sms.helpText.length() > 300)) problems.add("sms.helpText: 1 to 300 characters");
        }
        if (parsed.loyalty != null) parsed.loyalty.check(problems);
        if (parsed.softBounceLimit != null && (parsed.softBounceLimit < 1 || parsed.softBounceLimit > 20)) problems.add("softBounceLimit: 1 to 20");
        if (parsed.attribution != null) {
            if (Attribution.outside(parsed.attribution.clickDays, 0, 90)) problems.add("attribution.clickDays: 0 to 90");
            if (Attribution.outside(parsed.attribution.openDays, 0, 90)) problems.add("attribution.openDays: 0 to 90");
            if (Attribution.outside(parsed.attribution.liftDays, 1, 90)) problems.add("attribution.liftDays: 1 to 90");
        }
        if (parsed.linkDomains != null) {
            for (int i = 0; i < parsed.linkDomains.size(); i++) {
                String d = parsed.linkDomains.get(i);
                if (d == null || !d.strip().matches("(?i)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z]{2,63}")) {
                    problems.add("linkDomains[" + i + "]: a host name such as shop.example.com (no scheme, path or port)");
                }
            }
        }
        if (parsed.topics != null) {
            List<String> seen = new ArrayList<>();
            for (int i = 0; i < parsed.topics.size(); i++) {
                Topic t = parsed.topics.get(i);
                if (t == null || t.id == null || !t.id.matches("[a-z0-9_]{1,32}")) problems.add("topics[" + i + "].id: 1-32 of a-z, 0-9, _");
                else if (seen.contains(t.id)) problems.add("topics[" + i + "].id: " + t.id + " twice");
                else seen.add(t.id);
                if (t != null && (t.name == null || t.name.isBlank())) problems.add("topics[" + i + "].name: required");
            }
        }
        return parsed.withDefaults();
    }
}
