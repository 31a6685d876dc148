package dev.kindling.aws.dynamodb;

import static dev.kindling.aws.dynamodb.MeteredTable.key;
import static dev.kindling.aws.dynamodb.MeteredTable.s;

import dev.kindling.clv.ClvModel;
import dev.kindling.clv.ClvModels;
import dev.kindling.json.Json;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** {@link ClvModels}: one item per shop ({@code S#<shop>#CLV}, {@code model}), read at most every few minutes per instance. */
public final class DynamoClvModels implements ClvModels {
    private static final String SK = "model";
    static final Duration CACHED = Duration.ofMinutes(10);

    private record Cached(ClvModel model, Instant readAt) {}

    private final MeteredTable table;
    private final Clock clock;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();

    public DynamoClvModels(MeteredTable table, Clock clock) {
        this.table = table;
        this.clock = clock;
    }

    @Override
    public Optional<Fitted> get(String shopId) {
        Map<String, AttributeValue> item = table.get(pk(shopId), SK, false);
        return item == null ? Optional.empty() : Optional.of(Json.read(item.get("fitted").s(), Fitted.class));
    }

    @Override
    public void save(String shopId, Fitted fitted) {
        Map<String, AttributeValue> item = key(pk(shopId), SK);
        item.put("fitted", s(Json.write(fitted)));
        table.put(item);
        cache.put(shopId, new Cached(fitted.model(), clock.instant()));
    }

    @Override
    public ClvModel current(String shopId) {
        Instant now = clock.instant();
        Cached cached = cache.get(shopId);
        if (cached != null && cached.readAt().plus(CACHED).isAfter(now)) return cached.model();
        ClvModel model = get(shopId).map(Fitted::model).orElse(PRIORS);
        cache.put(shopId, new Cached(model, now));
        return model;
    }

    private static String pk(String shopId) {
        return KindlingTable.shopPk(shopId, "CLV");
    }
}
