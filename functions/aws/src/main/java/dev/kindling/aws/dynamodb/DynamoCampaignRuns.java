package dev.kindling.aws.dynamodb;

import static dev.kindling.aws.dynamodb.MeteredTable.key;
import static dev.kindling.aws.dynamodb.MeteredTable.n;
import static dev.kindling.aws.dynamodb.MeteredTable.s;

import dev.kindling.campaign.CampaignRuns;
import dev.kindling.json.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Put;

/**
 * {@link CampaignRuns} in {@code S#shop#CAMPAIGN#id}: one item per run ({@code RUN#<run id>}, the id sorts by time, so the
 * newest come first) holding the run as JSON and its version, and the campaign's state ({@code STATE}). A run's item is
 * about 1 KB: one write unit per page of recipients.
 */
public final class DynamoCampaignRuns implements CampaignRuns {
    private static final String RUN_PREFIX = "RUN#";
    private static final String STATE_SK = "STATE";

    private final MeteredTable table;

    public DynamoCampaignRuns(MeteredTable table) {
        this.table = table;
    }

    private static String pk(String shopId, String campaignId) {
        return KindlingTable.shopPk(shopId, "CAMPAIGN#" + campaignId);
    }

    @Override
    public Optional<Run> get(String shopId, String campaignId, String runId) {
        Map<String, AttributeValue> item = table.get(pk(shopId, campaignId), RUN_PREFIX + runId, true);
        return item == null ? Optional.empty() : Optional.of(read(item));
    }

    @Override
    public boolean create(String shopId, Run run) {
        Map<String, AttributeValue> item = key(pk(shopId, run.campaignId()), RUN_PREFIX + run.runId());
        item.put("run", GzippedJson.of(run.withVersion(0)));
        item.put("v", n(0));
        return table.putIf(Put.builder().item(item).conditionExpression("attribute_not_exists(pk)"));
    }

    @Override
    public boolean update(String shopId, Run run) {
        Map<String, AttributeValue> item = key(pk(shopId, run.campaignId()), RUN_PREFIX + run.runId());
        long next = run.version() + 1;
        // gzipped: a run's lanes (cursors, holders, counts) are 2 KB of JSON, written as each page of each lane ends
        item.put("run", GzippedJson.of(run.withVersion(next)));
        item.put("v", n(next));
        return table.putIf(Put.builder().item(item).conditionExpression("v = :v").expressionAttributeValues(Map.of(":v", n(run.version()))));
    }

    @Override
    public List<Run> list(String shopId, String campaignId, int limit) {
        List<Run> runs = new ArrayList<>();
        for (Map<String, AttributeValue> item : table.queryAll(b -> b.keyConditionExpression("pk = :pk AND begins_with(sk, :r)").scanIndexForward(false)
                .expressionAttributeValues(Map.of(":pk", s(pk(shopId, campaignId)), ":r", s(RUN_PREFIX))), limit)) {
            runs.add(read(item));
        }
        return runs;
    }

    @Override
    public Optional<Status> state(String shopId, String campaignId) {
        Map<String, AttributeValue> item = table.get(pk(shopId, campaignId), STATE_SK, true);
        return item == null ? Optional.empty() : Optional.of(Status.valueOf(item.get("state").s()));
    }

    @Override
    public void setState(String shopId, String campaignId, Status state) {
        Map<String, AttributeValue> item = key(pk(shopId, campaignId), STATE_SK);
        item.put("state", s(state.name()));
        table.putIf(Put.builder().item(item));
    }

    private static Run read(Map<String, AttributeValue> item) {
        return Json.read(GzippedJson.text(item, "run"), Run.class).withVersion(Long.parseLong(item.get("v").n()));
    }
}
