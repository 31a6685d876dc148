package dev.kindling.local;

import dev.kindling.handler.imports.ImportHandler;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import dev.kindling.handler.Services;
import dev.kindling.handler.admin.AdminHandler;
import dev.kindling.handler.campaign.CampaignHandler;
import dev.kindling.handler.email.CatalogHandler;
import dev.kindling.handler.email.EmailPagesHandler;
import dev.kindling.handler.email.EngagementHandler;
import dev.kindling.handler.sms.SmsHandler;
import dev.kindling.handler.email.SendHandler;
import dev.kindling.handler.ingest.IngestHandler;
import dev.kindling.handler.journey.JourneyHandler;
import dev.kindling.handler.journey.JourneyStartHandler;
import dev.kindling.handler.privacy.PrivacyHandler;
import dev.kindling.handler.event.EventHandler;
import dev.kindling.handler.segment.SegmentHandler;
import dev.kindling.handler.segment.SegmentRefreshHandler;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import dev.kindling.handler.report.ReportHandler;
import java.io.IOException;
import java.util.Map;
import java.util.function.Function;

/**
 * The template's handlers, each given the parts it uses from the local services, as its no-argument
 * constructor takes them from {@code AwsWiring} on Lambda. A handler the template names and this table
 * lacks stops the runtime at start.
 */
final class LocalFunctions {
    private LocalFunctions() {}

    /** Invokes a function as Lambda would, with the payload as its event; returns what it wrote. */
    static byte[] invoke(RequestStreamHandler handler, String name, byte[] payload) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        handler.handleRequest(new ByteArrayInputStream(payload), out, new LocalContext(name));
        return out.toByteArray();
    }

    /** Each handler class the template names, and how to build it from the shared parts. */
    static Map<String, Function<Services, RequestStreamHandler>> constructors() {
        return Map.ofEntries(
                Map.entry(IngestHandler.class.getName(), s -> new IngestHandler(s.ingestApi())),
                Map.entry(ImportHandler.class.getName(), s -> new ImportHandler(s.importSteps())),
                Map.entry(AdminHandler.class.getName(), s -> new AdminHandler(s.adminApiRoutes(), s.shops(), s.audit(), s.clock())),
                Map.entry(EventHandler.class.getName(), s -> new EventHandler(s.contacts(), s.scoreUpdate(), s.segmentEvaluation(), s.reportCounting())),
                Map.entry(SegmentHandler.class.getName(), s -> new SegmentHandler(s.segmentEvaluation())),
                Map.entry(SegmentRefreshHandler.class.getName(), s -> new SegmentRefreshHandler(s.segmentRefresh(), s.clvRefresh(), s.memberships(), s.email(), s.shops(), s.clock())),
                Map.entry(SendHandler.class.getName(), s -> new SendHandler(s.sending())),
                Map.entry(EmailPagesHandler.class.getName(), s -> new EmailPagesHandler(s.emailPages(), s.surveyPages(), s.textClicks(), s.referralLinks())),
                Map.entry(EngagementHandler.class.getName(), s -> new EngagementHandler(s.sesEvents())),
                Map.entry(SmsHandler.class.getName(), s -> new SmsHandler(s.smsInbound())),
                Map.entry(CatalogHandler.class.getName(), s -> new CatalogHandler(s.catalogLearning())),
                Map.entry(JourneyHandler.class.getName(), s -> new JourneyHandler(s.flowSteps())),
                Map.entry(JourneyStartHandler.class.getName(), s -> new JourneyStartHandler(s.journeyStarter())),
                Map.entry(PrivacyHandler.class.getName(), s -> new PrivacyHandler(s.privacy(), s.shops(), s.bus(), s.clock())),
                Map.entry(CampaignHandler.class.getName(), s -> new CampaignHandler(s.campaignRunner())),
                Map.entry(ReportHandler.class.getName(), s -> new ReportHandler(s.reportCounting(), s.reportStore(), s.clock())));
    }
}
