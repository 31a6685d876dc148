package dev.kindling.campaign;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kindling.email.TemplateTypes;
import dev.kindling.segment.SegmentParser;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CampaignParserTest {
    static final Set<String> TEMPLATES = Set.of("newsletter", "newsletter-short", "birthday", "expiry-reminder", "deals", "yesterdays-visitors");
    static final Set<String> SEGMENTS = Set.of("newsletter", "vip", "has-birthday", "has-expiry", "deal-seekers", "viewed-not-bought-yesterday");

    static Campaign parse(String yaml) {
        return CampaignParser.parse("c1", SegmentParser.yamlTree(yaml), TemplateTypes.emails(TEMPLATES), SEGMENTS::contains, "welcome"::equals);
    }

    @Test
    void aWeeklyNewsletterWithASubjectTestReadsAsScheduledInItsZone() {
        Campaign c = parse("""
                name: Weekly
                audience: {segments: [newsletter], exclude: [vip]}
                message: {variants: [{id: a, template: newsletter}, {id: b, template: newsletter-short, weight: 3}]}
                schedule: {cron: "0 9 ? * MON *", zone: Europe/Berlin, until: 2027-06-30, window: PT15M}
                holdoutPercent: 5
                test: {percent: 20, metric: clicks, after: PT2H, probability: 0.9, minPerVariant: 100}
                """);
        assertThat(c.audience().segments()).containsExactly("newsletter");
        assertThat(c.audience().exclude()).containsExactly("vip");
        assertThat(c.variants()).extracting(Campaign.Variant::weight).containsExactly(1, 3);
        assertThat(c.schedule().zone()).isEqualTo(ZoneId.of("Europe/Berlin"));
        assertThat(c.schedule().window()).isEqualTo(Duration.ofMinutes(15));
        assertThat(c.schedule().until()).isEqualTo(Instant.parse("2027-06-30T22:00:00Z")); // the end of that day in Berlin
        assertThat(c.test().metric()).isEqualTo(Campaign.Metric.clicks);
        // Scheduler fires it Mondays at 09:00 Berlin time: 08:00 UTC in winter
        assertThat(c.schedule().fired().next(Instant.parse("2026-12-02T00:00:00Z"), Instant.EPOCH)).contains(Instant.parse("2026-12-07T08:00:00Z"));
    }

    @Test
    void aCampaignInEachContactsZoneFiresHourlyAndMatchesTheStatedLocalTime() {
        Campaign c = parse("""
                audience: {segments: [has-birthday], date: {trait: birthday}}
                message: {template: birthday}
                schedule: {cron: "0 9 * * ? *", zone: contact}
                """);
        assertThat(c.schedule().contactZone()).isTrue();
        assertThat(c.schedule().fired().text()).isEqualTo("cron(0 * * * ? *)");
        assertThat(c.audience().date().yearly()).as("a birthday is yearly").isTrue();
        var stated = ScheduleExpression.parse(c.schedule().expression(), ZoneOffset.UTC);
        assertThat(CampaignRunner.firesThisHour(stated, LocalDateTime.parse("2026-12-02T09:00"))).isTrue();
        assertThat(CampaignRunner.firesThisHour(stated, LocalDateTime.parse("2026-12-02T09:30"))).as("a half-hour zone").isTrue();
        assertThat(CampaignRunner.firesThisHour(stated, LocalDateTime.parse("2026-12-02T10:00"))).isFalse();
    }

    @Test
    void aCampaignAtEachContactsBestTimeFiresHourlyAcrossEveryZonesWindow() {
        Campaign c = parse("""
                audience: {segments: [newsletter]}
                message: {template: newsletter}
                schedule: {at: 2026-12-10T09:00, bestTime: {from: 9, to: 20}}
                """);
        assertThat(c.schedule().contactZone()).as("their own zone").isTrue();
        assertThat(c.schedule().bestTime()).isEqualTo(new Campaign.SendHours(9, 20));
        // from 09:00 where the day starts first (UTC+14) to the window's last hour where it ends last (UTC-12)
        assertThat(c.schedule().start()).hasToString("2026-12-09T19:00:00Z");
        assertThat(c.schedule().until()).hasToString("2026-12-11T08:00:00Z");
        assertThat(parse("""
                audience: {segments: [newsletter]}
                message: {template: newsletter}
                schedule: {cron: "0 9 ? * MON *", bestTime: true}
                """).schedule().bestTime()).isEqualTo(Campaign.SendHours.DAYTIME);
        assertThatThrownBy(() -> parse("""
                audience: {segments: [newsletter]}
                message: {template: newsletter}
                schedule: {rate: 1 day, zone: UTC, bestTime: {from: 20, to: 9}}
                """)).isInstanceOfSatisfying(CampaignParser.InvalidCampaign.class, e -> assertThat(e.problems()).contains(
                "schedule.bestTime: from before to",
                "schedule.bestTime: each contact's best hour is in their own zone (zone: contact, or leave zone out)"));
    }

    @Test
    void everyProblemIsNamedByItsPath() {
        assertThatThrownBy(() -> parse("""
                audience: {segments: [nowhere], exclude: 3}
                message: {variants: [{id: a, template: newsletter}, {id: a, template: missing}]}
                schedule: {cron: "61 9 * * ? *", zone: Mars/Olympus}
                holdoutPercent: 90
                test: {metric: profit, after: PT1M}
                colour: blue
                """)).isInstanceOfSatisfying(CampaignParser.InvalidCampaign.class, e -> assertThat(e.problems()).contains(
                "audience.segments[0]: the shop has no segment nowhere",
                "audience.exclude: a list of segment ids",
                "message.variants[1].id: a twice",
                "message.variants[1].template: the shop has no template missing",
                "schedule.zone: an IANA time zone (Europe/Berlin) or contact; not Mars/Olympus",
                "holdoutPercent: a whole number 0-50",
                "test.metric: opens, clicks, conversions or revenue",
                "test.after: PT1H-P7D",
                "colour: not a campaign field (audience, enabled, frequencyCap, holdoutPercent, message, name, quietHours, schedule, test, topic)")
                .anySatisfy(p -> assertThat(p).startsWith("schedule.cron: ")));
        assertThatThrownBy(() -> parse("""
                audience: {segments: [newsletter]}
                message: {template: newsletter}
                schedule: {rate: 3 hours, zone: contact}
                test: {percent: 20}
                """)).isInstanceOfSatisfying(CampaignParser.InvalidCampaign.class, e -> assertThat(e.problems()).containsExactly(
                "schedule.zone: contact needs a time of day (cron or at), not a rate",
                "test: a test needs message.variants (two or more)"));
    }

    @Test
    void theReadyCampaignsAreValidWithTheirSegmentsAndTemplates() {
        Campaigns.ready().forEach((id, doc) -> CampaignParser.parse(id, doc, TemplateTypes.emails(TEMPLATES), SEGMENTS::contains, "welcome"::equals));
        assertThat(Campaigns.ready()).containsOnlyKeys(Campaigns.READY);
    }

    @Test
    void schedulerExpressionsFireAsSchedulerFiresThem() {
        var rate = ScheduleExpression.parse("rate(3 hours)", ZoneOffset.UTC);
        Instant made = Instant.parse("2026-12-02T10:20:00Z");
        assertThat(rate.next(made, made)).contains(Instant.parse("2026-12-02T13:20:00Z"));
        assertThat(rate.next(Instant.parse("2026-12-02T13:20:00Z"), made)).contains(Instant.parse("2026-12-02T16:20:00Z"));
        var once = ScheduleExpression.parse("at(2026-12-24T09:00:00)", ZoneId.of("America/New_York"));
        assertThat(once.next(made, made)).contains(Instant.parse("2026-12-24T14:00:00Z"));
        assertThat(once.next(Instant.parse("2026-12-25T00:00:00Z"), made)).isEmpty();
        assertThatThrownBy(() -> ScheduleExpression.parse("every monday", ZoneOffset.UTC)).hasMessageContaining("not a schedule expression");
    }
}
