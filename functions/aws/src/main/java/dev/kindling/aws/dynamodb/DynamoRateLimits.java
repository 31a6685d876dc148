package dev.kindling.aws.dynamodb;

import static dev.kindling.aws.dynamodb.MeteredTable.key;
import static dev.kindling.aws.dynamodb.MeteredTable.n;

import dev.kindling.ratelimit.RateLimits;
import dev.kindling.shop.Signatures;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;

/**
 * {@link RateLimits}: one item per key and window, {@code ADD count :one} (1 write unit a request), gone
 * with the window by TTL. The key is hashed, so a counter of an address holds no address.
 */
public final class DynamoRateLimits implements RateLimits {
    private final MeteredTable table;

    public DynamoRateLimits(MeteredTable table) {
        this.table = table;
    }

    @Override
    public boolean allow(String shopId, String key, int limit, Duration window, Instant now) {
        long bucket = now.toEpochMilli() / window.toMillis();
        String sk = Signatures.sha256Hex(key).substring(0, 32) + "#" + bucket;
        Map<String, AttributeValue> after = table.update(b -> b.key(key(KindlingTable.shopPk(shopId, "RATE"), sk))
                .updateExpression("ADD #c :one SET #x = if_not_exists(#x, :x)")
                .expressionAttributeNames(Map.of("#c", "count", "#x", KindlingTable.EXPIRES_AT))
                .expressionAttributeValues(Map.of(":one", n(1), ":x", n((bucket + 2) * window.toSeconds())))
                .returnValues(ReturnValue.UPDATED_NEW));
        return Long.parseLong(after.get("count").n()) <= limit;
    }
}
