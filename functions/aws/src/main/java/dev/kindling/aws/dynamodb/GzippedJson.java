package dev.kindling.aws.dynamodb;

import dev.kindling.json.Gzip;
import dev.kindling.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * JSON kept gzipped in a binary attribute: the items written with many events (a profile, scores, segment memberships,
 * the report ledger) are billed per KB written, twice with their copy in the contacts index, and the hourly refresh reads
 * every contact's by size; JSON takes a quarter to a half of it gzipped. An attribute written before as text is read as
 * it is.
 */
final class GzippedJson {
    private GzippedJson() {}

    static AttributeValue of(Object value) {
        return AttributeValue.fromB(SdkBytes.fromByteArrayUnsafe(Gzip.gzip(Json.write(value))));
    }

    /** The JSON of the item's attribute {@code name}: gunzipped, or as text in an item written before. */
    static String text(Map<String, AttributeValue> item, String name) {
        AttributeValue value = item.get(name);
        if (value.s() != null) return value.s();
        try {
            return Gzip.gunzip(value.b().asByteArrayUnsafe());
        } catch (IOException corrupt) {
            throw new UncheckedIOException("the " + name + " of " + item.get(KindlingTable.PK).s() + " " + item.get(KindlingTable.SK).s() + " is not gzip", corrupt);
        }
    }
}
