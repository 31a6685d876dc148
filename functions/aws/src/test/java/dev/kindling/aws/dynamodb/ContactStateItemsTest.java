package dev.kindling.aws.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kindling.event.Fingerprint;
import dev.kindling.json.Json;
import dev.kindling.scoring.ScoreState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * A contact's derived state is kept gzipped (against DynamoDB Local): a scores item with a full stage history bills one
 * write unit where its JSON took three, reads back equal, and an item written before, with the JSON as text, still reads.
 */
class ContactStateItemsTest {
    static final Instant T = Instant.parse("2026-11-20T10:15:30.123456Z");
    @RegisterExtension
    static final LocalTable db = new LocalTable();
    static MeteredTable table;
    static DynamoScoreStore scores;

    @BeforeAll
    static void start() {
        table = db.table();
        scores = new DynamoScoreStore(table);
    }

    /** A busy customer's scores: a day of capped rule hits, 16 stage changes, 32 recent event ids. */
    static ScoreState busy() {
        Map<String, List<Instant>> hits = new LinkedHashMap<>();
        String[] rules = {"site-visit", "product-viewed", "product-viewed-intent", "added-to-cart", "cart-updated", "checkout-started", "email-opened"};
        int[] times = {5, 10, 5, 5, 3, 2, 3};
        for (int i = 0; i < rules.length; i++) {
            List<Instant> at = new ArrayList<>();
            for (int j = 0; j < times[i]; j++) at.add(T.plusSeconds(61L * j));
            hits.put(rules[i], at);
        }
        List<ScoreState.StageChange> history = new ArrayList<>();
        for (int i = 0; i < 16; i++) history.add(new ScoreState.StageChange("purchase", "enjoyment", T.plusSeconds(86_400L * i), "enjoying-after-a-week"));
        List<String> recent = new ArrayList<>();
        for (int i = 0; i < 32; i++) recent.add(Fingerprint.of("ajs-next-1732180000000-" + i));
        return new ScoreState(Map.of("engagement", new ScoreState.GroupScore(23.4567, T), "intent", new ScoreState.GroupScore(8.1234, T)),
                hits, "enjoyment", history, recent, List.of(), null);
    }

    @Test
    void aScoresItemIsWrittenGzippedInAQuarterOfItsJsonAndReadsBackEqual() {
        ScoreState state = busy();
        assertThat(Json.write(state).length()).as("the JSON").isGreaterThan(3_000);
        assertThat(scores.commit("demo", "c-1", state, 0, List.of(), false)).isTrue();

        Map<String, AttributeValue> item = table.get(KindlingTable.contactPk("demo", "c-1"), DynamoScoreStore.SK, true);
        assertThat(item.get("state").b()).as("binary").isNotNull();
        assertThat(ItemSize.of(item)).as("one write unit").isLessThanOrEqualTo(1024);
        assertThat(scores.scores("demo", "c-1").value()).isEqualTo(state);
        assertThat(scores.scores("demo", "c-1").version()).isEqualTo(1);
    }

    @Test
    void anItemWrittenBeforeWithItsStateAsTextIsReadAndWrittenOver() {
        ScoreState state = busy();
        Map<String, AttributeValue> before = MeteredTable.key(KindlingTable.contactPk("demo", "c-2"), DynamoScoreStore.SK);
        before.put("version", AttributeValue.fromN("7"));
        before.put("state", AttributeValue.fromS(Json.write(state)));
        table.put(before);

        assertThat(scores.scores("demo", "c-2").value()).isEqualTo(state);
        assertThat(scores.commit("demo", "c-2", ScoreState.EMPTY, 7, List.of(), false)).isTrue();
        assertThat(scores.scores("demo", "c-2").value()).isEqualTo(ScoreState.EMPTY);
    }

    @Test
    void binaryIsBilledByItsBytes() {
        byte[] body = new byte[2_000];
        assertThat(ItemSize.of(Map.of("html", AttributeValue.fromB(SdkBytes.fromByteArray(body))))).isEqualTo(4 + 2_000);
    }
}
