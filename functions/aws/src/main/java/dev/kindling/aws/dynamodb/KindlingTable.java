package dev.kindling.aws.dynamodb;

import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * The one table's key layout (see docs/data-model.md). Every item of a shop starts its partition
 * key with {@code S#<shop>#}, so no query can reach another shop's data.
 *
 * <pre>
 * profile   pk S#shop#C#contactId   sk P                      version, profile (JSON)
 * event     pk S#shop#C#contactId   sk E#timestamp#messageId  event (JSON), expiresAt
 * identity  pk S#shop#I#kind:value  sk I                      contactId
 * delivery  pk S#shop#D#source:id   sk D                      contactId, messageId, published, expiresAt
 * </pre>
 */
public final class KindlingTable {
    static final String PK = "pk";
    static final String SK = "sk";
    static final String EXPIRES_AT = "expiresAt";

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

    /** Creates the table as template.yaml declares it (for DynamoDB Local and tests); a no-op if it exists. */
    public static void create(DynamoDbClient dynamo, String tableName) {
        try {
            dynamo.createTable(b -> b.tableName(tableName)
                    .billingMode(BillingMode.PAY_PER_REQUEST)
                    .attributeDefinitions(
                            AttributeDefinition.builder().attributeName(PK).attributeType(ScalarAttributeType.S).build(),
                            AttributeDefinition.builder().attributeName(SK).attributeType(ScalarAttributeType.S).build())
                    .keySchema(
                            KeySchemaElement.builder().attributeName(PK).keyType(KeyType.HASH).build(),
                            KeySchemaElement.builder().attributeName(SK).keyType(KeyType.RANGE).build()));
            dynamo.updateTimeToLive(b -> b.tableName(tableName)
                    .timeToLiveSpecification(t -> t.attributeName(EXPIRES_AT).enabled(true)));
        } catch (ResourceInUseException exists) {
            // created before (a data folder, or a second start)
        }
    }
}
