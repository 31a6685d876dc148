package dev.kindling.loyalty;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kindling.email.EmailSettings;
import dev.kindling.segment.SegmentParser;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LoyaltyProgrammeTest {
    static final Instant T0 = Instant.parse("2026-12-05T12:00:00Z");

    static LoyaltyProgramme programme(String yaml) {
        List<String> problems = new ArrayList<>();
        EmailSettings settings = EmailSettings.parse(SegmentParser.yamlTree(yaml), problems);
        assertThat(problems).isEmpty();
        return settings.loyalty();
    }

    static final LoyaltyProgramme POINTS = programme("""
            loyalty:
              pointsPerUnit: 2
              tiers: [{name: gold, from: 1000}, {name: bronze, from: 0}, {name: silver, from: 500}]
              expiresAfter: P180D
              rewards: [{points: 500, coupon: r500}, {points: 1500, coupon: r1500}]
            """);

    @Test
    void spendAndEventsEarnPointsRefundsTakeThemBackAndTheTierFollows() {
        LoyaltyProgramme.State s = POINTS.earn(null, new BigDecimal("300.40"), 0, T0);
        assertThat(POINTS.points(s, T0)).as("2 a unit, whole points").isEqualTo(600);
        LoyaltyProgramme.Standing standing = POINTS.standing(s, BigDecimal.ZERO, T0);
        assertThat(standing).extracting(LoyaltyProgramme.Standing::tier, LoyaltyProgramme.Standing::nextTier).containsExactly("silver", "gold");
        assertThat(standing.toNextTier()).isEqualByComparingTo("400");
        assertThat(standing.expiresAt()).isEqualTo(T0.plus(Duration.ofDays(180)));
        assertThat(POINTS.rewardsDue(s, 600)).extracting(LoyaltyProgramme.Reward::points).containsExactly(500L);
        s = LoyaltyProgramme.counted(s, "silver", 500);
        assertThat(POINTS.rewardsDue(s, 600)).as("given once").isEmpty();

        s = POINTS.earn(s, new BigDecimal("-400"), 0, T0.plusSeconds(60));
        assertThat(POINTS.points(s, T0)).as("a refund never below nothing").isZero();
        s = POINTS.earn(s, BigDecimal.ZERO, 50, T0.plusSeconds(120));
        assertThat(POINTS.points(s, T0.plusSeconds(120))).isEqualTo(50);
        assertThat(POINTS.standing(s, BigDecimal.ZERO, T0).tier()).isEqualTo("bronze");
    }

    @Test
    void pointsLapseAfterTheStatedTimeWithoutEarningAndRewardsComeAgainInTheNextPeriod() {
        LoyaltyProgramme.State s = LoyaltyProgramme.counted(POINTS.earn(null, new BigDecimal("300"), 0, T0), "silver", 500);
        Instant later = T0.plus(Duration.ofDays(181));
        assertThat(POINTS.points(s, later)).isZero();
        LoyaltyProgramme.State next = POINTS.earn(s, new BigDecimal("260"), 0, later);
        assertThat(POINTS.points(next, later)).as("only what was earned since").isEqualTo(520);
        assertThat(next.period()).isEqualTo(1);
        assertThat(POINTS.rewardsDue(next, 520)).as("a new period's threshold").extracting(LoyaltyProgramme.Reward::points).containsExactly(500L);
    }

    @Test
    void tiersBySpendCountTheLastTwelveMonths() {
        LoyaltyProgramme spend = programme("""
                loyalty:
                  tierBy: spend
                  tiers: [{name: member, from: 0}, {name: vip, from: 1000}]
                """);
        LoyaltyProgramme.State s = spend.earn(null, new BigDecimal("1200"), 0, T0);
        assertThat(spend.standing(s, new BigDecimal("1200"), T0).tier()).isEqualTo("vip");
        LoyaltyProgramme.Standing lapsedSpend = spend.standing(s, new BigDecimal("800"), T0);
        assertThat(lapsedSpend.tier()).as("a year's spend, not the points").isEqualTo("member");
        assertThat(lapsedSpend.toNextTier()).isEqualByComparingTo("200");
        assertThat(lapsedSpend.measure()).isEqualTo("spend");
        assertThat(spend.events()).as("defaults").containsEntry("Referral Converted", 200).containsEntry("Review Submitted", 50);
    }
}
