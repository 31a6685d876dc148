package dev.kindling.aws.dynamodb;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * An item's size as DynamoDB bills it: attribute names plus values (strings and numbers as UTF-8 text, binary as its
 * bytes, booleans 1 byte).
 */
final class ItemSize {
    private ItemSize() {}

    static long of(Map<String, AttributeValue> item) {
        long bytes = 0;
        for (Map.Entry<String, AttributeValue> attribute : item.entrySet()) {
            bytes += utf8(attribute.getKey());
            AttributeValue v = attribute.getValue();
            if (v.s() != null) bytes += utf8(v.s());
            else if (v.n() != null) bytes += (v.n().length() + 1) / 2 + 1;
            else if (v.b() != null) bytes += v.b().asByteArrayUnsafe().length;
            else if (v.bool() != null) bytes += 1;
            else bytes += utf8(v.toString()); // not used by this table; an upper bound
        }
        return bytes;
    }

    private static long utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }
}
