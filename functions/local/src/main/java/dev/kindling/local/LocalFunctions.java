package dev.kindling.local;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import dev.kindling.handler.Services;
import dev.kindling.handler.admin.AdminHandler;
import dev.kindling.handler.campaign.CampaignHandler;
import dev.kindling.handler.email.CatalogHandler;
import dev.kindling.handler.email.EmailPagesHandler;
import dev.kindling.handler.email.EngagementHandler;
import dev.kindling.handler.email.SendHandler;
import dev.kindling.handler.ingest.IngestHandler;
import dev.kindling.handler.journey.JourneyHandler;
import dev.kindling.handler.journey.JourneyStartHandler;
import dev.kindling.handler.privacy.PrivacyHandler;
import dev.kindling.handler.score.ScoreHandler;
import dev.kindling.handler.segment.SegmentHandler;
import dev.kindling.handler.segment.SegmentRefreshHandler;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import dev.kindling.handler.report.ReportHandler;
import java.io.IOException;
import java.util.Map;
import java.util.function.Function;

/**
 * The template's handlers, built over local services through the constructor each handler keeps
 * for tests. A handler the template names and this table lacks stops the runtime at start.
 */
final class LocalFunctions {
    private LocalFunctions() {}

    /** Invokes a function as Lambda would, with the payload as its event; returns what it wrote. */
    static byte[] invoke(RequestStreamHandler handler, String name, byte[] payload) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        handler.handleRequest(new ByteArrayInputStream(payload), out, new LocalContext(name));
        return out.toByteArray();
    }

    static Map<String, Function<Services, RequestStreamHandler>> constructors() {
        return Map.ofEntries(
                Map.entry(IngestHandler.class.getName(), IngestHandler::new),
                Map.entry(AdminHandler.class.getName(), AdminHandler::new),
                Map.entry(ScoreHandler.class.getName(), ScoreHandler::new),
                Map.entry(SegmentHandler.class.getName(), SegmentHandler::new),
                Map.entry(SegmentRefreshHandler.class.getName(), SegmentRefreshHandler::new),
                Map.entry(SendHandler.class.getName(), SendHandler::new),
                Map.entry(EmailPagesHandler.class.getName(), EmailPagesHandler::new),
                Map.entry(EngagementHandler.class.getName(), EngagementHandler::new),
                Map.entry(CatalogHandler.class.getName(), CatalogHandler::new),
                Map.entry(JourneyHandler.class.getName(), JourneyHandler::new),
                Map.entry(JourneyStartHandler.class.getName(), JourneyStartHandler::new),
                Map.entry(PrivacyHandler.class.getName(), PrivacyHandler::new),
                Map.entry(CampaignHandler.class.getName(), CampaignHandler::new),
                Map.entry(ReportHandler.class.getName(), ReportHandler::new));
    }
}
