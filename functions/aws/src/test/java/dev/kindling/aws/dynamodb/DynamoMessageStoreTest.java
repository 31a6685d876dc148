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

    /**
     * An abandoned claim is settled by one caller only, and only while it is still that claim: two callers that found it
     * abandoned cannot both reopen it (each would then send), and one claimed again since is not touched by a late settler.
     */
    @Test
    void anAbandonedClaimIsSettledOnceAndAClaimMadeSinceIsNotTouched() {
        MessageRecord claim = MessageRecord.pending("demo", "c-2", "m-2", "order-2-thanks", "order-thank-you", SendRequest.Kind.transactional,
                SendRequest.Tags.NONE).toBuilder().to("c2@example.com").subject("Thanks").build().next(Status.sending, null, null, null, T0);
        assertThat(messages.claim(claim, null, T0, new byte[] {1})).isEqualTo(MessageStore.Claim.CLAIMED);
        java.time.Instant later = T0.plusSeconds(660);
        MessageRecord reopened = claim.next(Status.deferred, "interrupted", later, null, later);
        assertThat(messages.settle(claim, reopened, true)).as("the first caller").isTrue();
        assertThat(messages.settle(claim, reopened, true)).as("the second caller, which read the same claim").isFalse();

        MessageRecord again = reopened.next(Status.sending, null, null, null, later);
        assertThat(messages.claim(again, null, later, new byte[] {1})).isEqualTo(MessageStore.Claim.CLAIMED);
        assertThat(messages.settle(claim, claim.next(Status.deferred, "interrupted", later, null, later), true)).as("a late settler of the old claim").isFalse();
        assertThat(messages.get("demo", "c-2", "m-2").orElseThrow().status()).isEqualTo(Status.sending);
        assertThat(messages.settle(again, again.next(Status.sent, "settled", null, "ses-1", later.plusSeconds(700)), false)).isTrue();
        assertThat(messages.get("demo", "c-2", "m-2").orElseThrow().status()).isEqualTo(Status.sent);
    }
}
