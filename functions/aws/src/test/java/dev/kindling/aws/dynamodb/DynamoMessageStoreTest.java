package dev.kindling.aws.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kindling.email.EmailSettings;
import dev.kindling.email.SampleData;
import dev.kindling.email.TemplateLibrary;
import dev.kindling.json.Gzip;
import dev.kindling.send.EmailSending;
import dev.kindling.send.MessageRecord.Status;
import dev.kindling.send.MessageRecord;
import dev.kindling.send.MessageStore;
import dev.kindling.send.SendRequest;
import dev.kindling.send.Suppressions;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** The message log against DynamoDB Local. */
class DynamoMessageStoreTest {
    static final Instant T0 = Instant.parse("2026-11-22T12:00:00Z");
    @RegisterExtension
    static final LocalTable db = new LocalTable();
    static DynamoMessageStore messages;
    static MeteredTable table;

    @BeforeAll
    static void start() {
        table = db.table();
        messages = new DynamoMessageStore(table);
    }

    @Test
    void aTransactionalSendDeferredForTheRateFinishesForSomeoneWithNoSendLedger() {
        // transactional mail claims no ledger; when the send rate defers it, releasing the (absent) ledger is nothing
        MessageRecord sending = MessageRecord.pending("demo", "c-1", "m-1", "order-1-thanks", "order-thank-you", SendRequest.Kind.transactional,
                SendRequest.Tags.NONE).toBuilder().to("c1@example.com").subject("Thanks").status(Status.sending).createdAt(T0).updatedAt(T0).build();
        assertThat(messages.claim(sending, null, T0, "<p>Thanks</p>")).isEqualTo(MessageStore.Claim.CLAIMED);
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
        assertThat(messages.claim(claim, null, T0, "<p>Thanks</p>")).isEqualTo(MessageStore.Claim.CLAIMED);
        java.time.Instant later = T0.plusSeconds(660);
        MessageRecord reopened = claim.next(Status.deferred, "interrupted", later, null, later);
        assertThat(messages.settle(claim, reopened, true)).as("the first caller").isTrue();
        assertThat(messages.settle(claim, reopened, true)).as("the second caller, which read the same claim").isFalse();

        MessageRecord again = reopened.next(Status.sending, null, null, null, later);
        assertThat(messages.claim(again, null, later, "<p>Thanks</p>")).isEqualTo(MessageStore.Claim.CLAIMED);
        assertThat(messages.settle(claim, claim.next(Status.deferred, "interrupted", later, null, later), true)).as("a late settler of the old claim").isFalse();
        assertThat(messages.get("demo", "c-2", "m-2").orElseThrow().status()).isEqualTo(Status.sending);
        assertThat(messages.settle(again, again.next(Status.sent, "settled", null, "ses-1", later.plusSeconds(700)), false)).isTrue();
        assertThat(messages.get("demo", "c-2", "m-2").orElseThrow().status()).isEqualTo(Status.sent);
    }

    /**
     * SES's Send event is recorded on a claim still open, and the sender's outcome then says it was (the send counted
     * then); on a message its sender recorded first it is not recorded, and the outcome said none was.
     */
    @Test
    void aSendEventIsRecordedOnlyOnAnOpenClaimAndTheOutcomeSaysWhetherItCameFirst() {
        MessageRecord first = marketing("c-5", "m-5a");
        assertThat(messages.claim(first, null, T0, "<p>Thanks</p>")).isEqualTo(MessageStore.Claim.CLAIMED);
        assertThat(messages.engagement("demo", "c-5", "m-5a", "ev-1", "Send", T0)).as("SES's event first").isTrue();
        assertThat(messages.finish(first.next(Status.sent, null, null, "ses-5a", T0), false)).as("the outcome finds it").isTrue();

        MessageRecord second = marketing("c-5", "m-5b");
        assertThat(messages.claim(second, null, T0, "<p>Thanks</p>")).isEqualTo(MessageStore.Claim.CLAIMED);
        assertThat(messages.finish(second.next(Status.sent, null, null, "ses-5b", T0), false)).as("the sender first").isFalse();
        assertThat(messages.engagement("demo", "c-5", "m-5b", "ev-2", "Send", T0)).as("SES's event after").isFalse();
        assertThat(messages.get("demo", "c-5", "m-5b").orElseThrow().engagement()).doesNotContainKey("Send");
        assertThat(messages.engagement("demo", "c-5", "m-5b", "ev-3", "Delivery", T0)).as("any other event").isTrue();
    }

    /**
     * What a mark counts rides on it and is on that write's stream record alone: the sender's outcome after it removes it
     * (so the record of that update counts nothing again), a mark counting nothing removes it, and a mark seen before
     * writes nothing. The counts of the marks' records go in together.
     */
    @Test
    void aMarksCountsRideOnItsWriteAloneAndGoInTogether() {
        MessageRecord email = marketing("c-7", "m-7");
        assertThat(messages.claim(email, null, T0, "<p>Hi</p>")).isEqualTo(MessageStore.Claim.CLAIMED);
        var day = java.time.LocalDate.parse("2026-11-22");
        var delivery = new MessageStore.Counted(day, "campaign:counted", null, null, Map.of("delivery", 1L));
        assertThat(messages.engagement("demo", "c-7", "m-7", "ev-d", "Delivery", T0, delivery)).isTrue();
        String pk = KindlingTable.contactPk("demo", "c-7");
        String counted = table.get(pk, "MSG#m-7", true).get(DynamoMessageStore.COUNTED).s();
        assertThat(messages.engagement("demo", "c-7", "m-7", "ev-d", "Delivery", T0, delivery)).as("seen before").isFalse();
        messages.finish(email.next(Status.sent, null, null, "ses-7", T0), false);
        assertThat(table.get(pk, "MSG#m-7", true)).as("the outcome's record counts nothing").doesNotContainKey(DynamoMessageStore.COUNTED);
        assertThat(messages.engagement("demo", "c-7", "m-7", "ev-q", "DeliveryDelay", T0, null)).isTrue();
        assertThat(table.get(pk, "MSG#m-7", true)).doesNotContainKey(DynamoMessageStore.COUNTED);

        var record = dev.kindling.json.Json.object().put("eventName", "MODIFY").put("eventSource", "aws:dynamodb");
        var change = record.putObject("dynamodb");
        change.putObject("Keys").putObject("pk").put("S", pk);
        ((com.fasterxml.jackson.databind.node.ObjectNode) change.get("Keys")).putObject("sk").put("S", "MSG#m-7");
        change.putObject("NewImage").putObject(DynamoMessageStore.COUNTED).put("S", counted);
        var batch = dev.kindling.json.Json.object();
        batch.putArray("Records").add(record).add(record.deepCopy());
        TableStream.Batch read = TableStream.read(batch);
        assertThat(read.messageCounts().get("demo")).containsExactly(delivery, delivery);
        var stats = new DynamoEmailStats(table);
        var before = table.meter().snapshot();
        stats.addTogether(Map.of("demo", java.util.List.of(delivery, delivery,
                new MessageStore.Counted(day, "campaign:counted", null, null, Map.of("open", 1L)),
                new MessageStore.Counted(day, "campaign:other", null, null, Map.of("delivery", 1L)))));
        var wrote = table.meter().snapshot().minus(before);
        assertThat(wrote.writeRequests()).as("one transaction").isEqualTo(1);
        assertThat(stats.read("demo", day, day)).extracting(dev.kindling.engagement.EmailStats.Row::counts)
                .containsExactlyInAnyOrder(Map.of("delivery", 2L, "open", 1L), Map.of("delivery", 1L));
    }

    /**
     * A shipped template's email is kept deflated against the body dictionary, in half its gzip or less (a unit where it
     * was two), and reads back as the same HTML; the person's export shows it as HTML. A body nothing like the templates
     * reads back the same too, and so does one kept gzipped before the dictionary.
     */
    @Test
    void aShippedTemplatesBodyIsKeptDeflatedAgainstTheDictionaryAndReadsBackTheSame() throws Exception {
        String html = TemplateLibrary.defaults().render("browse-abandonment", SampleData.variables("Demo", EmailSettings.DEFAULTS)).html();
        byte[] gzipped = Gzip.gzip(html);
        MessageRecord claim = marketing("c-6", "m-6");
        assertThat(messages.claim(claim, null, T0, html)).isEqualTo(MessageStore.Claim.CLAIMED);
        Map<String, AttributeValue> item = table.get(KindlingTable.contactPk("demo", "c-6"), DynamoMessageStore.BODY_PREFIX + "m-6", true);
        assertThat(item).containsKey(DynamoMessageStore.DEFLATED).doesNotContainKey("html");
        assertThat(item.get(DynamoMessageStore.DEFLATED).b().asByteArray().length).as("deflated, of " + gzipped.length + " gzipped")
                .isLessThanOrEqualTo(gzipped.length / 2);
        assertThat(messages.body("demo", "c-6", "m-6").orElseThrow()).isEqualTo(html);
        assertThat(DynamoPersonalData.json(item).path("html").asText()).isEqualTo(html);

        byte[] noise = new byte[3000];
        new java.util.Random(6).nextBytes(noise);
        String unlike = java.util.Base64.getEncoder().encodeToString(noise);
        assertThat(messages.claim(marketing("c-6", "m-6b"), null, T0, unlike)).isEqualTo(MessageStore.Claim.CLAIMED);
        assertThat(messages.body("demo", "c-6", "m-6b").orElseThrow()).isEqualTo(unlike);

        // a body kept before the dictionary, gzipped, reads back as it was
        Map<String, AttributeValue> before = MeteredTable.key(KindlingTable.contactPk("demo", "c-6"), DynamoMessageStore.BODY_PREFIX + "m-6c");
        before.put("html", AttributeValue.fromB(SdkBytes.fromByteArray(gzipped)));
        table.put(before);
        assertThat(messages.body("demo", "c-6", "m-6c").orElseThrow()).isEqualTo(html);
    }

    static MessageRecord marketing(String contactId, String messageId) {
        return MessageRecord.pending("demo", contactId, messageId, "weekly-" + messageId, "newsletter", SendRequest.Kind.marketing,
                SendRequest.Tags.NONE).toBuilder().to(contactId + "@example.com").subject("News").build().next(Status.sending, null, null, null, T0);
    }

    /**
     * The ledger keeps a send under its message id's first 13 characters (a third of a whole id's bytes, in an item written
     * with every marketing send); a ledger written with whole ids still holds them, and a release takes either away.
     */
    @Test
    void aSendIsKeptUnderItsIdsFirst13CharactersAndALedgerOfWholeIdsStillHoldsItsSends() {
        String id = EmailSending.messageId("demo", "weekly-20");
        MessageRecord sending = marketing("c-20", id);
        assertThat(messages.claim(sending, messages.ledger("demo", "c-20"), T0, "<p>News</p>")).isEqualTo(MessageStore.Claim.CLAIMED);
        assertThat(messages.ledger("demo", "c-20").sends()).containsOnlyKeys(id.substring(0, 13));
        assertThat(messages.ledger("demo", "c-20").holds(id)).isTrue();
        messages.finish(sending.next(Status.deferred, "rate_limited", T0.plusSeconds(60), null, T0), true);
        assertThat(messages.ledger("demo", "c-20").sends()).isEmpty();

        // written before keys: the whole id
        String earlier = EmailSending.messageId("demo", "weekly-21");
        Map<String, AttributeValue> old = MeteredTable.key(KindlingTable.contactPk("demo", "c-21"), DynamoMessageStore.LEDGER_SK);
        old.put("sends", AttributeValue.fromM(Map.of(earlier, AttributeValue.fromN(Long.toString(T0.toEpochMilli())))));
        old.put("version", AttributeValue.fromN("1"));
        table.client().putItem(b -> b.tableName(table.name()).item(old));
        MessageStore.Ledger ledger = messages.ledger("demo", "c-21");
        assertThat(ledger.holds(earlier)).isTrue();
        MessageRecord retried = marketing("c-21", earlier);
        assertThat(messages.claim(retried, ledger, T0, "<p>News</p>")).as("its own send: the ledger left as it is").isEqualTo(MessageStore.Claim.CLAIMED);
        assertThat(messages.ledger("demo", "c-21").sends()).containsOnlyKeys(earlier);
        messages.finish(retried.next(Status.deferred, "rate_limited", T0.plusSeconds(60), null, T0), true);
        assertThat(messages.ledger("demo", "c-21").sends()).isEmpty();
    }

    /** Two marketing sends to one person that read the same ledger: the second finds it moved, and checks the cap again. */
    @Test
    void twoSendsThatReadOneLedgerCannotBothBeAddedToIt() {
        MessageStore.Ledger read = messages.ledger("demo", "c-3");
        assertThat(messages.claim(marketing("c-3", "m-3a"), read, T0, "<p>Thanks</p>")).isEqualTo(MessageStore.Claim.CLAIMED);
        assertThat(messages.claim(marketing("c-3", "m-3b"), read, T0, "<p>Thanks</p>")).isEqualTo(MessageStore.Claim.LEDGER_MOVED);
        assertThat(messages.get("demo", "c-3", "m-3b")).as("not claimed").isEmpty();
        assertThat(messages.ledger("demo", "c-3").sends()).containsOnlyKeys("m-3a");
    }

    /**
     * A stop between the ledger's write and the message's leaves the send in the ledger alone: the cap counts it (one send
     * too few, never one too many), and the send's retry (the same message id) finds it its own and claims the message.
     */
    @Test
    void aRetryAfterAStopBetweenTheLedgerAndTheMessageClaimsItOnce() {
        MessageRecord sending = marketing("c-4", "m-4");
        assertThat(messages.claim(sending, messages.ledger("demo", "c-4"), T0, "<p>Thanks</p>")).isEqualTo(MessageStore.Claim.CLAIMED);
        // a real engine cannot be stopped between two requests on cue: the message the first attempt wrote is deleted instead
        table.client().deleteItem(b -> b.tableName(table.name()).key(MeteredTable.key(KindlingTable.contactPk("demo", "c-4"), "MSG#m-4")));
        MessageStore.Ledger left = messages.ledger("demo", "c-4");
        assertThat(left.sends()).containsOnlyKeys("m-4");

        var before = table.meter().snapshot();
        assertThat(messages.claim(sending, left, T0.plusSeconds(5), "<p>Thanks</p>")).isEqualTo(MessageStore.Claim.CLAIMED);
        assertThat(table.meter().snapshot().minus(before).writeRequests()).as("the body refused (kept as first rendered), the ledger left as it is, the message").isEqualTo(2);
        assertThat(messages.ledger("demo", "c-4")).isEqualTo(left);
        assertThat(messages.claim(sending, left, T0.plusSeconds(6), "<p>Thanks</p>")).as("claimed once").isEqualTo(MessageStore.Claim.TAKEN);
    }

    /** A claim is three single writes of small items: the body, the ledger, the message; a transaction billed the last two twice. */
    @Test
    void aMarketingClaimBillsEachOfItsWritesOnce() {
        var before = table.meter().snapshot();
        assertThat(messages.claim(marketing("c-5", "m-5"), messages.ledger("demo", "c-5"), T0, "<p>Thanks</p>")).isEqualTo(MessageStore.Claim.CLAIMED);
        var used = table.meter().snapshot().minus(before);
        assertThat(used.writeRequests()).isEqualTo(3);
        assertThat(used.billedWriteUnits()).isEqualTo(3);
    }

    /** A marketing send starts from its message and the person's send ledger, read in one request and billed as the two gets. */
    @Test
    void theMessageAndTheSendLedgerAreReadInOneRequest() {
        var before = table.meter().snapshot();
        MessageStore.Prior none = messages.prior("demo", "c-19", "m-19", true);
        var used = table.meter().snapshot().minus(before);
        assertThat(none.message()).isEmpty();
        assertThat(none.ledger()).isEqualTo(MessageStore.Ledger.EMPTY);
        assertThat(used.readRequests()).isEqualTo(1);
        assertThat(used.billedReadUnits()).as("two strongly consistent gets of nothing").isEqualTo(2.0);

        MessageRecord sending = marketing("c-19", "m-19");
        assertThat(messages.claim(sending, none.ledger(), T0, "<p>News</p>")).isEqualTo(MessageStore.Claim.CLAIMED);
        before = table.meter().snapshot();
        MessageStore.Prior found = messages.prior("demo", "c-19", "m-19", true);
        assertThat(table.meter().snapshot().minus(before).readRequests()).isEqualTo(1);
        assertThat(found.message().orElseThrow().status()).isEqualTo(Status.sending);
        assertThat(found.ledger().sends()).containsOnlyKeys("m-19");
        assertThat(found.ledger().version()).isEqualTo(1);
        assertThat(messages.prior("demo", "c-19", "m-19", false).ledger()).as("transactional mail reads no ledger").isNull();
    }

    /** Every send asks whether the address is suppressed, as itself or as an erased person's hash: one request for both. */
    @Test
    void aSuppressionIsLookedUpAsTheAddressAndItsErasedFormInOneRequest() {
        DynamoSuppressions suppressions = new DynamoSuppressions(table);
        suppressions.suppress("demo", new Suppressions.Suppression("bounced@example.com", "bounced", "Permanent/General", T0));
        suppressions.suppressErased("demo", "erased@example.com", T0);
        var before = table.meter().snapshot();
        assertThat(suppressions.get("demo", "bounced@example.com")).hasValueSatisfying(s -> assertThat(s.reason()).isEqualTo("bounced"));
        assertThat(suppressions.get("demo", "erased@example.com")).hasValueSatisfying(s -> assertThat(s.reason()).isEqualTo("erased"));
        assertThat(suppressions.get("demo", "fine@example.com")).isEmpty();
        var used = table.meter().snapshot().minus(before);
        assertThat(used.readRequests()).isEqualTo(3);
        assertThat(used.billedReadUnits()).as("two eventually consistent gets each").isEqualTo(3.0);
    }
}
