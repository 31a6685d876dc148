package dev.kindling.handler;

import dev.kindling.audience.ScoreUpdate;
import dev.kindling.audience.SegmentEvaluation;
import dev.kindling.audience.SegmentRefresh;
import dev.kindling.aws.dynamodb.DynamoCatalog;
import dev.kindling.aws.dynamodb.DynamoContactScan;
import dev.kindling.aws.dynamodb.DynamoContactStore;
import dev.kindling.aws.dynamodb.DynamoEmailStats;
import dev.kindling.aws.dynamodb.DynamoEmailStore;
import dev.kindling.aws.dynamodb.DynamoJourneyEntries;
import dev.kindling.aws.dynamodb.DynamoMembershipStore;
import dev.kindling.aws.dynamodb.DynamoMessageStore;
import dev.kindling.aws.dynamodb.DynamoScoreStore;
import dev.kindling.aws.dynamodb.DynamoSendSlots;
import dev.kindling.aws.dynamodb.DynamoSettingsStore;
import dev.kindling.aws.dynamodb.DynamoSuppressions;
import dev.kindling.aws.dynamodb.MeteredTable;
import dev.kindling.catalog.Catalog;
import dev.kindling.catalog.CatalogLearning;
import dev.kindling.catalog.Recommendations;
import dev.kindling.consent.EmailPages;
import dev.kindling.consent.LinkTokens;
import dev.kindling.contact.ContactStore;
import dev.kindling.email.ShopEmail;
import dev.kindling.engagement.EmailStats;
import dev.kindling.engagement.SesEvents;
import dev.kindling.event.EventPublisher;
import dev.kindling.ingest.Ingestor;
import dev.kindling.ingest.KindlingEvents;
import dev.kindling.journey.JourneyLauncher;
import dev.kindling.journey.JourneyStarter;
import dev.kindling.journey.JourneySteps;
import dev.kindling.journey.SurveyPages;
import dev.kindling.segment.MembershipStore;
import dev.kindling.scoring.ScoreStore;
import dev.kindling.send.EmailSender;
import dev.kindling.send.EmailSending;
import dev.kindling.send.EmailVariables;
import dev.kindling.send.MessageStore;
import dev.kindling.send.SendRate;
import dev.kindling.send.Suppressions;
import dev.kindling.settings.ShopSettings;
import dev.kindling.shop.ShopDirectory;
import java.time.Clock;
import java.time.Duration;

/**
 * Every store and service the functions use, built over one table, one bus, one shop directory
 * and one email sender: on AWS by {@link AwsWiring}, here by the local runtime and the tests.
 */
public final class Services {
    public final MeteredTable table;
    public final ShopDirectory shops;
    public final EventPublisher bus;
    public final Clock clock;
    public final ContactStore contacts;
    public final Ingestor ingestor;
    public final ScoreStore scores;
    public final MembershipStore memberships;
    public final ShopSettings settings;
    public final ScoreUpdate scoreUpdate;
    public final SegmentEvaluation segmentEvaluation;
    public final SegmentRefresh segmentRefresh;
    public final ShopEmail email;
    public final MessageStore messages;
    public final Suppressions suppressions;
    public final EmailStats emailStats;
    public final Catalog catalog;
    public final CatalogLearning catalogLearning;
    public final EmailVariables emailVariables;
    public final LinkTokens linkTokens;
    public final EmailSending sending;
    public final EmailPages emailPages;
    public final SesEvents sesEvents;
    public final JourneySteps journeySteps;
    public final JourneyStarter journeyStarter;
    public final SurveyPages surveyPages;

    /**
     * @param eventTtl    how long raw events (and the delivery markers that dedupe them) are kept
     * @param emailSender SES, or the local outbox
     * @param journeys    Step Functions, or the local journey engine
     */
    public Services(MeteredTable table, EventPublisher bus, ShopDirectory shops, Clock clock, Duration eventTtl,
                    EmailSender emailSender, EmailSending.Config emailConfig, JourneyLauncher journeys) {
        this.table = table;
        this.shops = shops;
        this.bus = bus;
        this.clock = clock;
        this.contacts = new DynamoContactStore(table, clock, eventTtl);
        this.ingestor = new Ingestor(contacts, bus);
        DynamoScoreStore scoreStore = new DynamoScoreStore(table);
        DynamoMembershipStore membershipStore = new DynamoMembershipStore(table);
        this.scores = scoreStore;
        this.memberships = membershipStore;
        this.settings = new ShopSettings(new DynamoSettingsStore(table));
        this.scoreUpdate = new ScoreUpdate(contacts, scores, settings, bus, clock);
        this.segmentEvaluation = new SegmentEvaluation(contacts, scores, memberships, settings, bus, clock);
        this.segmentRefresh = new SegmentRefresh(contacts, new DynamoContactScan(table, scoreStore, membershipStore), settings,
                scoreUpdate, segmentEvaluation, clock);

        this.email = new ShopEmail(new DynamoEmailStore(table));
        this.messages = new DynamoMessageStore(table);
        this.suppressions = new DynamoSuppressions(table);
        this.emailStats = new DynamoEmailStats(table);
        this.catalog = new DynamoCatalog(table, clock);
        this.catalogLearning = new CatalogLearning(catalog);
        this.emailVariables = new EmailVariables(contacts, new Recommendations(catalog));
        this.linkTokens = new LinkTokens(clock);
        this.sending = new EmailSending(shops, contacts, email, messages, suppressions, new SendRate(new DynamoSendSlots(table), clock),
                emailSender, emailVariables, linkTokens, clock, emailConfig);
        KindlingEvents kindlingEvents = new KindlingEvents(ingestor, clock);
        this.emailPages = new EmailPages(shops, contacts, kindlingEvents, email, messages, sending, linkTokens, clock, emailConfig.publicBaseUrl());
        this.sesEvents = new SesEvents(shops, contacts, messages, suppressions, emailStats, kindlingEvents, email, clock);
        this.journeySteps = new JourneySteps(shops, contacts, email, emailStats, suppressions, new DynamoJourneyEntries(table), linkTokens, bus,
                clock, emailConfig.publicBaseUrl());
        this.journeyStarter = new JourneyStarter(journeys, email);
        this.surveyPages = new SurveyPages(shops, contacts, kindlingEvents, email, linkTokens, clock);
    }
}
