package dev.kindling.handler;

import dev.kindling.audience.ScoreUpdate;
import dev.kindling.audience.SegmentEvaluation;
import dev.kindling.audience.SegmentRefresh;
import dev.kindling.aws.dynamodb.DynamoContactScan;
import dev.kindling.aws.dynamodb.DynamoContactStore;
import dev.kindling.aws.dynamodb.DynamoMembershipStore;
import dev.kindling.aws.dynamodb.DynamoScoreStore;
import dev.kindling.aws.dynamodb.DynamoSettingsStore;
import dev.kindling.aws.dynamodb.MeteredTable;
import dev.kindling.contact.ContactStore;
import dev.kindling.event.EventPublisher;
import dev.kindling.segment.MembershipStore;
import dev.kindling.scoring.ScoreStore;
import dev.kindling.settings.ShopSettings;
import dev.kindling.shop.ShopDirectory;
import java.time.Clock;
import java.time.Duration;

/**
 * Every store and service the functions use, built over one table, one bus and one shop
 * directory: on AWS by {@link AwsWiring}, here by the local runtime and the tests.
 */
public final class Services {
    public final MeteredTable table;
    public final ShopDirectory shops;
    public final EventPublisher bus;
    public final Clock clock;
    public final ContactStore contacts;
    public final ScoreStore scores;
    public final MembershipStore memberships;
    public final ShopSettings settings;
    public final ScoreUpdate scoreUpdate;
    public final SegmentEvaluation segmentEvaluation;
    public final SegmentRefresh segmentRefresh;

    /** @param eventTtl how long raw events (and the delivery markers that dedupe them) are kept */
    public Services(MeteredTable table, EventPublisher bus, ShopDirectory shops, Clock clock, Duration eventTtl) {
        this.table = table;
        this.shops = shops;
        this.bus = bus;
        this.clock = clock;
        this.contacts = new DynamoContactStore(table, clock, eventTtl);
        DynamoScoreStore scoreStore = new DynamoScoreStore(table);
        DynamoMembershipStore membershipStore = new DynamoMembershipStore(table);
        this.scores = scoreStore;
        this.memberships = membershipStore;
        this.settings = new ShopSettings(new DynamoSettingsStore(table));
        this.scoreUpdate = new ScoreUpdate(contacts, scores, settings, bus, clock);
        this.segmentEvaluation = new SegmentEvaluation(contacts, scores, memberships, settings, bus, clock);
        this.segmentRefresh = new SegmentRefresh(contacts, new DynamoContactScan(table, scoreStore, membershipStore), settings,
                scoreUpdate, segmentEvaluation, clock);
    }
}
