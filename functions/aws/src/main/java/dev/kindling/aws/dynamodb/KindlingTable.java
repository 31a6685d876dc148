package dev.kindling.aws.dynamodb;

import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.Projection;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.StreamSpecification;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;

/**
 * The one table's key layout (see docs/data-model.md). Every item of a shop starts its partition
 * key with {@code S#<shop>#}, so no query can reach another shop's data.
 *
 * <pre>
 * profile   pk S#shop#C#contactId   sk P                      version, profile (gzipped JSON)
 * event     pk S#shop#C#contactId   sk E#timestamp#messageId  event (JSON), expiresAt
 * identity  pk S#shop#I#kind:value  sk I                      contactId
 * delivery  pk S#shop#D#source:id   sk D                      contactId, messageId, published, expiresAt
 * scores    pk S#shop#C#contactId   sk SCORE                  version, state (JSON), pending (JSON)
 * segments  pk S#shop#C#contactId   sk SEGMENTS               version, segments (JSON), pending (JSON)
 * member    pk S#shop#M#segment#nn  sk contactId              since
 * settings  pk S#shop#SETTINGS      sk V | SCORING | SEG#id   version | document (JSON)
 * email     pk S#shop#EMAIL         sk V | SETTINGS | TPL#id | JRN#journey  version | document (JSON)
 * consent   pk S#shop#C#contactId   sk L#time#purpose#event   record (JSON), kept as long as the profile
 * message   pk S#shop#C#contactId   sk MSG#messageId          status, record (JSON), events (set), e_Type (time)
 * ledger    pk S#shop#C#contactId   sk SENDS                  version, sends (JSON: message id → time)
 * body      pk S#shop#C#contactId   sk BODY#messageId         deflated (against BodyDictionary) and dictionary (html, gzip, before it); expiresAt
 * suppressed pk S#shop#SUPPRESSED   sk email | SOFT#email     reason, detail, at | count, expiresAt
 * stats     pk S#shop#STATS#day     sk source#step#variant    one number per SES event type
 * product   pk S#shop#PRODUCT#id    sk P                      version, product (JSON)
 * category  pk S#shop#CATEGORY#name sk productId              sold
 * catalog   pk S#shop#CATALOG       sk TOP | ORDER#orderId    version, best sellers (JSON) | expiresAt
 * send rate pk SES#RATE             sk SLOT                   next (µs since the epoch): the account's, not a shop's
 * journey   pk S#shop#C#contactId   sk JRN#journey            enteredAt (re-entry)
 * </pre>
 *
 * Profile, scores and segments items also carry {@code cpk = S#shop#K#nn} and {@code csk =
 * contactId#sk}: the sparse {@code contacts} index lists a shop's contacts in {@value #SHARDS}
 * shards (read in parallel by the refresh) without reading any event. Members of a segment are
 * spread over as many partitions for the same reason.
 */
public final class KindlingTable {
    static final String PK = "pk";
    static final String SK = "sk";
    static final String EXPIRES_AT = "expiresAt";
    static final String CONTACTS_INDEX = "contacts";
    static final String CPK = "cpk";
    static final String CSK = "csk";
    /** Shards of a shop's contact list and of each segment's members. */
    public static final int SHARDS = 16;

    private KindlingTable() {}

    static String contactPk(String shopId, String contactId) {
        return "S#" + shopId + "#C#" + contactId;
    }

    static String identityPk(String shopId, String identityKey) {
        return "S#" + shopId + "#I#" + identityKey;
    }

    static String deliveryPk(String shopId, String deliveryKey) {
        return "S#" + shopId + "#D#" + deliveryKey;
    }

    static String memberPk(String shopId, String segmentId, int shard) {
        return "S#" + shopId + "#M#" + segmentId + "#" + String.format("%02d", shard);
    }

    static String shopPk(String shopId, String rest) {
        return "S#" + shopId + "#" + rest;
    }

    static String contactsShardPk(String shopId, int shard) {
        return "S#" + shopId + "#K#" + String.format("%02d", shard);
    }

    /** A contact's shard; String.hashCode is specified, so every JVM agrees. */
    static int shard(String contactId) {
        return Math.floorMod(contactId.hashCode(), SHARDS);
    }

    /** Puts a contact's item into the sparse contacts index. */
    static void indexContact(Map<String, AttributeValue> item, String shopId, String contactId, String sk) {
        item.put(CPK, AttributeValue.fromS(contactsShardPk(shopId, shard(contactId))));
        item.put(CSK, AttributeValue.fromS(contactId + "#" + sk));
    }

    /** Creates the table as template.yaml declares it (for DynamoDB Local and tests); a no-op if it exists. */
    public static void create(DynamoDbClient dynamo, String tableName) {
        try {
            dynamo.createTable(b -> b.tableName(tableName)
                    .billingMode(BillingMode.PAY_PER_REQUEST)
                    .attributeDefinitions(
                            AttributeDefinition.builder().attributeName(PK).attributeType(ScalarAttributeType.S).build(),
                            AttributeDefinition.builder().attributeName(SK).attributeType(ScalarAttributeType.S).build(),
                            AttributeDefinition.builder().attributeName(CPK).attributeType(ScalarAttributeType.S).build(),
                            AttributeDefinition.builder().attributeName(CSK).attributeType(ScalarAttributeType.S).build())
                    .keySchema(
                            KeySchemaElement.builder().attributeName(PK).keyType(KeyType.HASH).build(),
                            KeySchemaElement.builder().attributeName(SK).keyType(KeyType.RANGE).build())
                    .globalSecondaryIndexes(GlobalSecondaryIndex.builder().indexName(CONTACTS_INDEX)
                            .keySchema(
                                    KeySchemaElement.builder().attributeName(CPK).keyType(KeyType.HASH).build(),
                                    KeySchemaElement.builder().attributeName(CSK).keyType(KeyType.RANGE).build())
                            .projection(Projection.builder().projectionType(ProjectionType.ALL).build()).build())
                    .streamSpecification(STREAM));
            dynamo.updateTimeToLive(b -> b.tableName(tableName)
                    .timeToLiveSpecification(t -> t.attributeName(EXPIRES_AT).enabled(true)));
        } catch (ResourceInUseException exists) {
            // created before (a data folder, or a second start); one made before the stream gets it now
            if (dynamo.describeTable(b -> b.tableName(tableName)).table().latestStreamArn() == null) {
                dynamo.updateTable(b -> b.tableName(tableName).streamSpecification(STREAM));
            }
        }
    }

    /** The table's stream: each item as written, which the stored events' count reads ({@code StoredEvents}). */
    private static final StreamSpecification STREAM = StreamSpecification.builder().streamEnabled(true)
            .streamViewType(StreamViewType.NEW_IMAGE).build();

    /** The shop a partition key belongs to: every key starts {@code S#<shop>#}. */
    static String shopOf(String pk) {
        int end = pk.startsWith("S#") ? pk.indexOf('#', 2) : -1;
        if (end < 0) throw new IllegalArgumentException("not a shop's key: " + pk);
        return pk.substring(2, end);
    }
}
