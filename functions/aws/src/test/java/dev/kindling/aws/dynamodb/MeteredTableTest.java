package dev.kindling.aws.dynamodb;

import static dev.kindling.aws.dynamodb.MeteredTable.key;
import static dev.kindling.aws.dynamodb.MeteredTable.s;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;

/** The meter bills what AWS would for the requests it sees. */
class MeteredTableTest {
    @RegisterExtension
    static final LocalTable db = new LocalTable();

    /**
     * A batch get of three keys, one of them an item: AWS bills each key of BatchGetItem as a GetItem, so a key with no
     * item costs the least a read does (half a unit, eventually consistent), as a get of nothing is billed.
     */
    @Test
    void aBatchGetBillsEachKeyWithNoItemAsAGetOfNothing() {
        MeteredTable table = db.table();
        Map<String, AttributeValue> there = key("S#meter#X", "one");
        there.put("v", s("small"));
        table.put(there);
        CapacityMeter.Snapshot before = table.meter().snapshot();
        List<Map<String, AttributeValue>> got = table.batchGet(KeysAndAttributes.builder()
                .keys(key("S#meter#X", "one"), key("S#meter#X", "two"), key("S#meter#Y", "one")).build());
        CapacityMeter.Snapshot used = table.meter().snapshot().minus(before);
        assertThat(got).hasSize(1);
        assertThat(used.billedReadUnits()).as("half a unit a key: the item found and the two keys with none").isEqualTo(1.5);
    }
}
