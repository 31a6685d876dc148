package dev.kindling.handler.campaign;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import dev.kindling.campaign.CampaignRunner;
import dev.kindling.handler.AwsWiring;
import dev.kindling.handler.Log;
import dev.kindling.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Instant;
import java.util.function.BooleanSupplier;

/**
 * CampaignFunction: a campaign's schedule fired ({@code {shop, campaign, scheduledTime}}, Scheduler's input), a run was
 * asked for or handed on ({@code Campaign Run Requested} on the bus, the same fields), or an A/B test's time is up
 * ({@code {shop, campaign, run, decide: true}}). It sends pages of recipients while more than a minute of its time is left,
 * then hands the run on. A run another worker holds fails the invocation, so Lambda retries it after the holder's lease.
 */
public final class CampaignHandler implements RequestStreamHandler {
    /** A page of recipients takes seconds at SES's rate: a worker takes no new page with less than this left. */
    static final int MARGIN_MILLIS = 60_000;

    private final CampaignRunner runner;

    /** For Lambda. */
    public CampaignHandler() {
        this(AwsWiring.services().campaignRunner());
    }

    public CampaignHandler(CampaignRunner runner) {
        this.runner = runner;
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        JsonNode payload = Json.MAPPER.readTree(input);
        JsonNode request = CampaignRunner.RUN_REQUESTED.equals(payload.path("detail-type").asText()) ? payload.path("detail") : payload;
        String shop = request.path("shop").asText(null);
        String campaign = request.path("campaign").asText(null);
        if (shop == null || campaign == null) throw new IllegalArgumentException("a campaign request names shop and campaign: " + request);
        BooleanSupplier timeLeft = () -> context.getRemainingTimeInMillis() > MARGIN_MILLIS;
        CampaignRunner.Outcome outcome = request.path("decide").asBoolean(false)
                ? runner.decide(shop, campaign, request.path("run").asText(), timeLeft)
                : runner.run(shop, campaign, Instant.parse(request.path("scheduledTime").asText()),
                        request.hasNonNull("lane") ? Integer.valueOf(request.get("lane").asInt()) : null, timeLeft);
        Log.info("campaign run", "shop", shop, "campaign", campaign, "outcome", Json.MAPPER.valueToTree(outcome));
        if (outcome.busy()) throw new IllegalStateException(outcome.note());
        Json.MAPPER.writeValue(output, outcome);
    }
}
