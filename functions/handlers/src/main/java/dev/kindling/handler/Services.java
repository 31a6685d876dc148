package dev.kindling.handler;

import dev.kindling.admin.ImportAdminApi;
import dev.kindling.aws.dynamodb.DynamoImportStore;
import dev.kindling.imports.ImportBatches;
import dev.kindling.imports.ImportObjects;
import dev.kindling.imports.ImportRunner;
import dev.kindling.imports.ImportSteps;
import dev.kindling.imports.ImportStore;
import dev.kindling.imports.ImportUploads;
import dev.kindling.imports.Imports;
import dev.kindling.imports.ShopifyBulkPull;
import dev.kindling.imports.WooCommercePull;
import java.net.http.HttpClient;
import java.util.function.Function;
import dev.kindling.admin.AdminApi;
import dev.kindling.admin.AdminApiDescription;
import dev.kindling.admin.AudienceAdminApi;
import dev.kindling.admin.CampaignAdminApi;
import dev.kindling.admin.EmailAdminApi;
import dev.kindling.admin.JourneyAdminApi;
import dev.kindling.admin.ReportAdminApi;
import dev.kindling.audience.ClvRefresh;
import dev.kindling.audience.ContactScan;
import dev.kindling.audience.ContactSearch;
import dev.kindling.audience.ScoreUpdate;
import dev.kindling.audience.SegmentEvaluation;
import dev.kindling.audience.SegmentRefresh;
import dev.kindling.aws.dynamodb.DynamoAuditLog;
import dev.kindling.aws.dynamodb.DynamoCampaignRuns;
import dev.kindling.aws.dynamodb.DynamoCatalog;
import dev.kindling.aws.dynamodb.DynamoClvModels;
import dev.kindling.aws.dynamodb.DynamoContactScan;
import dev.kindling.aws.dynamodb.DynamoContactStore;
import dev.kindling.aws.dynamodb.DynamoEmailStats;
import dev.kindling.aws.dynamodb.DynamoEmailStore;
import dev.kindling.aws.dynamodb.DynamoJourneyEntries;
import dev.kindling.aws.dynamodb.DynamoMembershipStore;
import dev.kindling.aws.dynamodb.DynamoMessageStore;
import dev.kindling.aws.dynamodb.DynamoPersonalData;
import dev.kindling.aws.dynamodb.DynamoRateLimits;
import dev.kindling.aws.dynamodb.DynamoReportStore;
import dev.kindling.aws.dynamodb.DynamoScoreStore;
import dev.kindling.aws.dynamodb.DynamoSendSlots;
import dev.kindling.aws.dynamodb.DynamoSettingsStore;
import dev.kindling.aws.dynamodb.DynamoSuppressions;
import dev.kindling.aws.dynamodb.MeteredTable;
import dev.kindling.campaign.CampaignRunner;
import dev.kindling.campaign.CampaignRuns;
import dev.kindling.campaign.CampaignSchedules;
import dev.kindling.catalog.Catalog;
import dev.kindling.catalog.CatalogLearning;
import dev.kindling.catalog.RecentCatalog;
import dev.kindling.catalog.Recommendations;
import dev.kindling.clv.ClvModels;
import dev.kindling.consent.EmailPages;
import dev.kindling.contact.ContactStore;
import dev.kindling.email.ShopEmail;
import dev.kindling.engagement.EmailStats;
import dev.kindling.engagement.SesEvents;
import dev.kindling.event.EventPublisher;
import dev.kindling.http.Route;
import dev.kindling.ingest.IngestApi;
import dev.kindling.ingest.Ingestor;
import dev.kindling.ingest.KindlingEvents;
import dev.kindling.journey.JourneyEntries;
import dev.kindling.journey.JourneyLauncher;
import dev.kindling.journey.JourneyStarter;
import dev.kindling.journey.SurveyPages;
import dev.kindling.journey.flow.FlowSteps;
import dev.kindling.lazy.Lazy;
import dev.kindling.privacy.AuditLog;
import dev.kindling.privacy.ExportFiles;
import dev.kindling.privacy.FailedDeliveries;
import dev.kindling.privacy.PrivacyRequests;
import dev.kindling.ratelimit.SignUpLimits;
import dev.kindling.report.Bill;
import dev.kindling.report.ReportCounting;
import dev.kindling.report.ReportStore;
import dev.kindling.report.Reports;
import dev.kindling.scoring.ScoreStore;
import dev.kindling.segment.MembershipStore;
import dev.kindling.send.EmailSender;
import dev.kindling.send.EmailSending;
import dev.kindling.send.EmailVariables;
import dev.kindling.send.MessageStore;
import dev.kindling.send.SendRate;
import dev.kindling.send.Suppressions;
import dev.kindling.send.SmsSender;
import dev.kindling.send.TextedNumbers;
import dev.kindling.engagement.SmsInbound;
import dev.kindling.engagement.TextClicks;
import dev.kindling.send.ShortLinks;
import dev.kindling.aws.dynamodb.DynamoShortLinks;
import dev.kindling.aws.dynamodb.DynamoCouponCodes;
import dev.kindling.coupon.CouponCodes;
import dev.kindling.engagement.ReferralLinks;
import dev.kindling.admin.CouponAdminApi;
import dev.kindling.aws.dynamodb.DynamoTextedNumbers;
import dev.kindling.settings.ShopSettings;
import dev.kindling.shop.LinkTokens;
import dev.kindling.shop.ShopDirectory;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Every store and service the functions use, over one table, one bus, one shop directory and one
 * email sender: on AWS by {@link AwsWiring}, here by the local runtime and the tests.
 *
 * <p>No handler is given this: each handler's constructor names the parts it uses, and its
 * no-argument constructor (Lambda's) takes just those from here, as the local runtime does. Each
 * part is built once, on first use ({@link Lazy}), with the parts it needs, so IngestFunction's cold
 * start does not pay for templates, journeys or the catalog.
 */
public final class Services {
    private final MeteredTable table;
    private final ShopDirectory shops;
    private final EventPublisher bus;
    private final Clock clock;

    private final Lazy<ContactStore> contacts;
    private final Lazy<Ingestor> ingestor;
    private final Lazy<DynamoScoreStore> scores;
    private final Lazy<DynamoMembershipStore> memberships;
    private final Lazy<ShopSettings> settings;
    private final Lazy<ScoreUpdate> scoreUpdate;
    private final Lazy<SegmentEvaluation> segmentEvaluation;
    private final Lazy<SegmentRefresh> segmentRefresh;
    private final Lazy<ContactSearch> contactSearch;
    private final Lazy<ShopEmail> email;
    private final Lazy<MessageStore> messages;
    private final Lazy<Suppressions> suppressions;
    private final Lazy<TextedNumbers> textedNumbers;
    private final Lazy<SmsInbound> smsInbound;
    private final Lazy<ShortLinks> shortLinks;
    private final Lazy<CouponCodes> couponCodes;
    private final Lazy<ReferralLinks> referralLinks;
    private final Lazy<TextClicks> textClicks;
    private final Lazy<EmailStats> emailStats;
    private final Lazy<Catalog> catalog;
    private final Lazy<CatalogLearning> catalogLearning;
    private final Lazy<EmailVariables> emailVariables;
    private final Lazy<LinkTokens> linkTokens;
    private final Lazy<EmailSending> sending;
    private final Lazy<KindlingEvents> kindlingEvents;
    private final Lazy<EmailPages> emailPages;
    private final Lazy<SesEvents> sesEvents;
    private final Lazy<JourneyStarter> journeyStarter;
    private final Lazy<FlowSteps> flowSteps;
    private final Lazy<SurveyPages> surveyPages;
    private final Lazy<PrivacyRequests> privacy;
    private final Lazy<AuditLog> audit;
    private final Lazy<CampaignRuns> campaignRuns;
    private final Lazy<CampaignRunner> campaignRunner;
    private final CampaignSchedules campaignSchedules;
    private final Lazy<DynamoReportStore> reportStore;
    private final Lazy<ReportCounting> reportCounting;
    private final Lazy<Reports> reports;
    private final Lazy<ClvModels> clvModels;
    private final Lazy<ClvRefresh> clvRefresh;
    private final Lazy<ContactScan> contactScan;
    private final Lazy<JourneyEntries> journeyEntries;
    private final Lazy<SignUpLimits> signUpLimits;
    private final Lazy<IngestApi> ingestApi;
    private final Lazy<List<Route>> adminApiRoutes;
    private final Lazy<ImportStore> importStore;
    private final Lazy<ImportBatches> importBatches;
    private final Lazy<Imports> imports;
    private final Lazy<ImportSteps> importSteps;

    /**
     * @param eventTtl    how long raw events (and the delivery markers that dedupe them) are kept
     * @param emailSender SES, or the local outbox
     * @param smsSender   End User Messaging SMS, or the local SMS outbox
     * @param journeys    Step Functions, or the local journey engine
     * @param campaignSchedules EventBridge Scheduler, or the local scheduler
     * @param failedDeliveries the failed-deliveries queue (SQS), or the local bus's dead letters: an erasure purges them
     * @param exports        where exports are handed out: the stack's S3 bucket, or the local runtime's folder
     * @param importRunner   what runs an import's batches (given them): the import state machine, or the local runtime's threads
     * @param importObjects  where an import's source and batches are kept on AWS (the imports bucket); null where imports run in process
     * @param importUploads  where a large file is uploaded: the imports bucket, or the local runtime's folder
     */
    public Services(MeteredTable table, EventPublisher bus, ShopDirectory shops, Clock clock, Duration eventTtl,
                    EmailSender emailSender, SmsSender smsSender, EmailSending.Config emailConfig, JourneyLauncher journeys, CampaignSchedules campaignSchedules,
                    FailedDeliveries failedDeliveries, ExportFiles exports, Function<ImportBatches, ImportRunner> importRunner,
                    ImportObjects importObjects, ImportUploads importUploads) {
        this.campaignSchedules = campaignSchedules;
        this.table = table;
        this.shops = shops;
        this.bus = bus;
        this.clock = clock;
        contacts = Lazy.of(() -> new DynamoContactStore(table, clock, eventTtl));
        scores = Lazy.of(() -> new DynamoScoreStore(table));
        memberships = Lazy.of(() -> new DynamoMembershipStore(table));
        settings = Lazy.of(() -> new ShopSettings(new DynamoSettingsStore(table)));
        scoreUpdate = Lazy.of(() -> new ScoreUpdate(contacts(), scores(), settings(), bus, clock));
        clvModels = Lazy.of(() -> new DynamoClvModels(table, clock));
        contactScan = Lazy.of(() -> new DynamoContactScan(table, scores.get(), memberships.get()));
        journeyEntries = Lazy.of(() -> new DynamoJourneyEntries(table));
        signUpLimits = Lazy.of(() -> new SignUpLimits(new DynamoRateLimits(table)));
        clvRefresh = Lazy.of(() -> new ClvRefresh(contactScan.get(), clvModels(), clock));
        segmentEvaluation = Lazy.of(() -> new SegmentEvaluation(contacts(), scores(), memberships(), settings(), clvModels(), bus, clock));
        contactSearch = Lazy.of(() -> new ContactSearch(contactScan.get()));
        segmentRefresh = Lazy.of(() -> new SegmentRefresh(contacts(), contactScan.get(), settings(),
                scoreUpdate(), segmentEvaluation(), clvModels(), bus, journeyEntries.get(), clock));

        email = Lazy.of(() -> new ShopEmail(new DynamoEmailStore(table)));
        reportStore = Lazy.of(() -> new DynamoReportStore(table));
        // each stored event counted for the bill as it is published (ReportCounting.SHOP's daily "events")
        ingestor = Lazy.of(() -> new Ingestor(contacts(), bus));
        reportCounting = Lazy.of(() -> new ReportCounting(contacts(), memberships(), reportStore.get(), email(), couponCodes(),
                (shop, key, contact, event, properties, at) -> kindlingEvents().record(shop, key, contact, event, properties, null, null, at), clock));
        reports = Lazy.of(() -> new Reports(reportStore.get(), emailStats(), email(), settings(), new Bill(reportStore.get(), emailStats()), clvModels()));
        messages = Lazy.of(() -> new DynamoMessageStore(table));
        suppressions = Lazy.of(() -> new DynamoSuppressions(table));
        textedNumbers = Lazy.of(() -> new DynamoTextedNumbers(table));
        shortLinks = Lazy.of(() -> new ShortLinks(new DynamoShortLinks(table), linkTokens(), clock));
        couponCodes = Lazy.of(() -> new DynamoCouponCodes(table));
        referralLinks = Lazy.of(() -> new ReferralLinks(shops, email(), couponCodes(), linkTokens(), clock));
        emailStats = Lazy.of(() -> new DynamoEmailStats(table));
        catalog = Lazy.of(() -> new DynamoCatalog(table, clock));
        catalogLearning = Lazy.of(() -> new CatalogLearning(catalog()));
        // the send path's catalog reads, the same for most emails of a minute, answered from memory for that minute
        emailVariables = Lazy.of(() -> new EmailVariables(contacts(), new RecentCatalog(catalog(), clock), reportCounting(), clock));
        linkTokens = Lazy.of(() -> new LinkTokens(clock));
        sending = Lazy.of(() -> new EmailSending(shops, contacts(), email(), messages(), suppressions(), EmailStats.sentCount(emailStats()),
                new SendRate(new DynamoSendSlots(table), clock), emailSender, emailVariables(), linkTokens(),
                new EmailSending.Texts(smsSender, textedNumbers.get(), shortLinks.get(), new SendRate(new DynamoSendSlots(table, DynamoSendSlots.TEXTS), clock)),
                couponCodes(), clock, emailConfig));
        textClicks = Lazy.of(() -> new TextClicks(shops, shortLinks.get(), contacts(), messages(), kindlingEvents(), clock));
        smsInbound = Lazy.of(() -> new SmsInbound(shops, contacts(), textedNumbers.get(), suppressions(), messages(), kindlingEvents(), email(), sending(), clock));
        kindlingEvents = Lazy.of(() -> new KindlingEvents(ingestor(), clock));
        emailPages = Lazy.of(() -> new EmailPages(shops, contacts(), kindlingEvents.get(), email(), messages(), sending(), linkTokens(), clock,
                emailConfig.publicBaseUrl(), signUpLimits(), reportCounting()));
        sesEvents = Lazy.of(() -> new SesEvents(shops, contacts(), messages(), suppressions(), emailStats(), kindlingEvents.get(), email(), clock));
        flowSteps = Lazy.of(() -> new FlowSteps(shops, contacts(), scores(), memberships(), settings(), email(), sending(),
                journeyEntries.get(), emailStats(), kindlingEvents.get(), bus, linkTokens(), journeys, new DynamoRateLimits(table), reportCounting(), clvModels(), clock, emailConfig.publicBaseUrl(),
                reportCounting()));
        journeyStarter = Lazy.of(() -> new JourneyStarter(journeys, contacts(), email(), journeyEntries.get(), emailStats(), clock));
        surveyPages = Lazy.of(() -> new SurveyPages(shops, contacts(), kindlingEvents.get(), email(), linkTokens(), clock));
        audit = Lazy.of(() -> new DynamoAuditLog(table));
        campaignRuns = Lazy.of(() -> new DynamoCampaignRuns(table));
        campaignRunner = Lazy.of(() -> new CampaignRunner(email(), memberships(), contacts(), sending(), emailStats(), campaignRuns(),
                campaignSchedules, bus, reportCounting(), clock));
        ingestApi = Lazy.of(() -> new IngestApi(shops, ingestor(), signUpLimits(), clock));
        importStore = Lazy.of(() -> new DynamoImportStore(table));
        importBatches = Lazy.of(() -> new ImportBatches(contacts(), scoreUpdate(), bus, catalog(), importStore.get(), clock));
        imports = Lazy.of(() -> new Imports(importStore.get(), importRunner.apply(importBatches.get()), clock));
        importSteps = Lazy.of(() -> new ImportSteps(shops, importBatches.get(), importStore.get(), importObjects, pulls(), clock));
        adminApiRoutes = Lazy.of(() -> {
            List<Route> routes = new ArrayList<>(new AdminApi(shops, contacts(), scores(), memberships(), settings(), clvModels(), clock, privacy(),
                    audit(), kindlingEvents(), contactSearch(), reportCounting()).routes());
            routes.addAll(new AudienceAdminApi(shops, settings(), memberships(), segmentRefresh(), bus, email(), clock).routes());
            routes.addAll(new CouponAdminApi(shops, email(), couponCodes()).routes());
            routes.addAll(new CampaignAdminApi(shops, email(), settings(), campaignRuns(), campaignSchedules, bus, clock).routes());
            routes.addAll(new JourneyAdminApi(shops, email(), contacts(), emailStats(), journeyStarter(), kindlingEvents(), clock).routes());
            routes.addAll(new ReportAdminApi(shops, reports(), reportCounting().catalogue(), clock).routes());
            routes.addAll(new ImportAdminApi(shops, imports(), importUploads, clock).routes());
            routes.addAll(new EmailAdminApi(shops, email(), emailConfig.sender(), contacts(), emailVariables(), messages(), suppressions(), emailStats(), clock).routes());
            routes.addAll(new AdminApiDescription().routes());
            return List.copyOf(routes);
        });
        privacy = Lazy.of(() -> new PrivacyRequests(contacts(), new DynamoPersonalData(table, clock), journeys, audit(), emailSender, smsSender, failedDeliveries, exports, clock));
    }

    public MeteredTable table() { return table; }
    public ShopDirectory shops() { return shops; }
    public EventPublisher bus() { return bus; }
    public Clock clock() { return clock; }
    public ContactStore contacts() { return contacts.get(); }
    public SignUpLimits signUpLimits() { return signUpLimits.get(); }
    public CampaignRuns campaignRuns() { return campaignRuns.get(); }
    public CampaignRunner campaignRunner() { return campaignRunner.get(); }
    public CampaignSchedules campaignSchedules() { return campaignSchedules; }
    public Ingestor ingestor() { return ingestor.get(); }
    public ScoreStore scores() { return scores.get(); }
    public MembershipStore memberships() { return memberships.get(); }
    public ShopSettings settings() { return settings.get(); }
    public ScoreUpdate scoreUpdate() { return scoreUpdate.get(); }
    public SegmentEvaluation segmentEvaluation() { return segmentEvaluation.get(); }
    public SegmentRefresh segmentRefresh() { return segmentRefresh.get(); }
    public ContactSearch contactSearch() { return contactSearch.get(); }
    public ShopEmail email() { return email.get(); }
    public MessageStore messages() { return messages.get(); }
    public Suppressions suppressions() { return suppressions.get(); }
    public EmailStats emailStats() { return emailStats.get(); }
    public Catalog catalog() { return catalog.get(); }
    public CatalogLearning catalogLearning() { return catalogLearning.get(); }
    public EmailVariables emailVariables() { return emailVariables.get(); }
    public LinkTokens linkTokens() { return linkTokens.get(); }
    public EmailSending sending() { return sending.get(); }
    public KindlingEvents kindlingEvents() { return kindlingEvents.get(); }
    public EmailPages emailPages() { return emailPages.get(); }
    public SesEvents sesEvents() { return sesEvents.get(); }
    public SmsInbound smsInbound() { return smsInbound.get(); }
    public TextedNumbers textedNumbers() { return textedNumbers.get(); }
    public ShortLinks shortLinks() { return shortLinks.get(); }
    public CouponCodes couponCodes() { return couponCodes.get(); }
    public ReferralLinks referralLinks() { return referralLinks.get(); }
    public TextClicks textClicks() { return textClicks.get(); }
    public JourneyStarter journeyStarter() { return journeyStarter.get(); }
    public FlowSteps flowSteps() { return flowSteps.get(); }
    public SurveyPages surveyPages() { return surveyPages.get(); }
    public PrivacyRequests privacy() { return privacy.get(); }
    public AuditLog audit() { return audit.get(); }
    public ReportStore reportStore() { return reportStore.get(); }
    public ReportCounting reportCounting() { return reportCounting.get(); }
    public Reports reports() { return reports.get(); }
    public ClvModels clvModels() { return clvModels.get(); }
    public ClvRefresh clvRefresh() { return clvRefresh.get(); }
    public IngestApi ingestApi() { return ingestApi.get(); }
    public Imports imports() { return imports.get(); }
    public ImportBatches importBatches() { return importBatches.get(); }
    public ImportSteps importSteps() { return importSteps.get(); }
    /** The platforms' APIs: Shopify's bulk operations polled every 2 s for at most 13 minutes (a Lambda invocation runs 15), WooCommerce's pages. */
    public static Imports.Pulls pulls() {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        return new Imports.Pulls(new ShopifyBulkPull(http, Duration.ofSeconds(2), Duration.ofMinutes(13)), new WooCommercePull(http));
    }
    /** The admin API's routes, unguarded: AdminHandler guards each by the shop's admin token. */
    public List<Route> adminApiRoutes() { return adminApiRoutes.get(); }
}
