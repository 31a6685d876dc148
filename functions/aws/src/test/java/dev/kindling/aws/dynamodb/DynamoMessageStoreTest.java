package dev.kindling.aws.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kindling.send.MessageRecord;
import dev.kindling.send.MessageRecord.Status;
import dev.kindling.send.MessageStore;
import dev.kindling.send.SendRequest;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.dynamodb.services.local.embedded.DynamoDBEmbedded;
import software.amazon.dynamodb.services.local.shared.access.AmazonDynamoDBLocal;

/** The message log against DynamoDB Local. */
class DynamoMessageStoreTest {
    static final Instant T0 = Instant.parse("2026-11-22T12:00:00Z");
    static AmazonDynamoDBLocal local;
    static DynamoMessageStore messages;

    @BeforeAll
    static void start() {
        local = DynamoDBEmbedded.create(true);
        KindlingTable.create(local.dynamoDbClient(), "kindling");
        messages = new DynamoMessageStore(new MeteredTable(local.dynamoDbClient(), "kindling"));
    }

    @AfterAll
    static void stop() {
        local.shutdown();
    }

    @Test
    void aTransactionalSendDeferredForTheRateFinishesForSomeoneWithNoSendLedger() {
        // transactional mail claims no ledger; when the send rate defers it, releasing the (absent) ledger is nothing
        MessageRecord sending = MessageRecord.pending("demo", "c-1", "m-1", "order-1-thanks", "order-thank-you", SendRequest.Kind.transactional,
                SendRequest.Tags.NONE).toBuilder().to("c1@example.com").subject("Thanks").status(Status.sending).createdAt(T0).updatedAt(T0).build();
        assertThat(messages.claim(sending, null, T0, new byte[] {1})).isEqualTo(MessageStore.Claim.CLAIMED);
        messages.finish(sending.next(Status.deferred, "rate_limited", T0.plusSeconds(10), null, T0), true);
        assertThat(messages.get("demo", "c-1", "m-1").orElseThrow().status()).isEqualTo(Status.deferred);
    }
}
