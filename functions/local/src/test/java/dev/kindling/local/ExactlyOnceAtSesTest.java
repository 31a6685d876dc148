package dev.kindling.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kindling.aws.dynamodb.DynamoSendSlots;
import dev.kindling.email.SenderIdentity;
import dev.kindling.engagement.EmailStats;
import dev.kindling.json.Json;
import dev.kindling.send.EmailSender;
import dev.kindling.send.EmailSending;
import dev.kindling.send.MessageRecord;
import dev.kindling.send.SendRate;
import dev.kindling.send.SendRequest;
import dev.kindling.send.SendResult;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * A claim its sender abandoned is settled by what SES did, as on AWS, where SES cannot be asked what it took: its Send
 * event, recorded on the message, means it went (marked sent, never sent again); no sign of it after ten minutes means
 * SES never had it (sent again, once). The sender dying at a chosen point around the SES call is a fault no engine here
 * produces there, so a wrapper around the outbox makes it (an Error, which nothing in the send path catches, as a
 * Lambda timeout ends the function), and answers "cannot say" when asked what it took, as SES does.
 */
class ExactlyOnceAtSesTest extends WithSettableRuntime {
    ExactlyOnceAtSesTest() {
        super(Instant.parse("2026-11-02T10:00:00Z"));
    }

    /** The sender's process ending, as a timeout or an out-of-memory ends a Lambda function. */
    static final class Killed extends Error {
        Killed() {
            super("killed (injected)");
        }
    }

    /** SES as the send path sees it: it takes the email (into the outbox) or not, and the caller may die before or after. */
    final class DyingSes implements EmailSender {
        boolean dieBeforeSes;
        boolean dieAfterSes;

        @Override
        public String send(OutgoingEmail email) {
            if (dieBeforeSes) {
                dieBeforeSes = false;
                throw new Killed();
            }
            String id = runtime.outbox().send(email);
            if (dieAfterSes) {
                dieAfterSes = false;
                throw new Killed();
            }
            return id;
        }

        @Override
        public Optional<String> accepted(String messageId) {
            return Optional.empty(); // SES has no call that says whether it took a message
        }

        @Override
        public double maxSendRate() {
            return 1000;
        }

        @Override
        public void forget(String address) {
            runtime.outbox().forget(address);
        }
    }

    @Test
    void aClaimSesTookIsMarkedSentByItsSendEventAndOneItNeverGotIsSentOnceAfterTenMinutes() throws Exception {
        ok(client.admin("PUT", "/admin/journeys/welcome", "{\"enabled\": false}", "application/json"));
        subscriber(9801, "took@example.com");
        subscriber(9802, "never@example.com");
        var s = runtime.services();
        DyingSes ses = new DyingSes();
        var sending = new EmailSending(s.shops(), s.contacts(), s.email(), s.messages(), s.suppressions(), EmailStats.sentCount(s.emailStats()), new SendRate(new DynamoSendSlots(s.table()), clock),
                ses, s.emailVariables(), s.linkTokens(), null, s.couponCodes(), clock,
                new EmailSending.Config("http://127.0.0.1", new SenderIdentity("hello@kindling.local", "kindling.local"), LocalRuntime.CONFIGURATION_SET, null, Duration.ZERO));

        // SES took it and the sender died before it heard: the claim stays, and SES's Send event reaches the message
        ses.dieAfterSes = true;
        SendRequest took = request(contactId("took@example.com"), "crash-after-ses");
        assertThat(catchThrowable(() -> sending.send(took))).isInstanceOf(Killed.class);
        LocalOutbox.Sent sent = runtime.outbox().all().getLast();
        ses("Send", sent, null, null);
        idle();
        SendResult early = sending.send(took);
        assertThat(early.status()).as("within ten minutes its sender may still be at work").isEqualTo(MessageRecord.Status.deferred);
        assertThat(early.reason()).isEqualTo("in_progress");
        clock.advance(Duration.ofMinutes(11));
        SendResult settled = sending.send(took);
        assertThat(settled.status()).isEqualTo(MessageRecord.Status.sent);
        assertThat(s.messages().get("demo", took.contactId(), settled.messageId()).orElseThrow().reason()).as(s.messages().get("demo", took.contactId(), settled.messageId()).toString()).contains("settled", "Send");
        assertThat(outboxCopies("took@example.com")).as("never sent again").isEqualTo(1);

        // the sender died before SES got it: no Send event, so after ten minutes it is sent again, once
        ses.dieBeforeSes = true;
        SendRequest never = request(contactId("never@example.com"), "crash-before-ses");
        assertThat(catchThrowable(() -> sending.send(never))).isInstanceOf(Killed.class);
        assertThat(outboxCopies("never@example.com")).isZero();
        clock.advance(Duration.ofMinutes(11));
        SendResult resent = sending.send(never);
        assertThat(resent.status()).isEqualTo(MessageRecord.Status.sent);
        assertThat(sending.send(never).status()).as("a later retry of the key").isEqualTo(MessageRecord.Status.sent);
        assertThat(outboxCopies("never@example.com")).as("sent once").isEqualTo(1);
        var log = s.messages().get("demo", never.contactId(), resent.messageId()).orElseThrow();
        assertThat(log.attempts()).extracting(MessageRecord.Attempt::reason).anyMatch(r -> r != null && r.startsWith("interrupted"));
    }

    private static SendRequest request(String contactId, String key) {
        return new SendRequest("demo", contactId, "newsletter", SendRequest.Kind.marketing, key, Json.object(), SendRequest.Tags.NONE, null);
    }

    private long outboxCopies(String to) {
        return runtime.outbox().all().stream().filter(e -> e.email().to().equals(to)).count();
    }

    private void subscriber(long id, String email) throws Exception {
        ObjectNode customer = Json.read("""
                {"id": %d, "email": "%s", "created_at": "2026-11-01T10:00:00Z", "updated_at": "2026-11-01T10:00:00Z", "state": "enabled",
                 "email_marketing_consent": {"state": "subscribed", "opt_in_level": "single_opt_in", "consent_updated_at": "2026-11-01T10:00:00Z"}}
                """.formatted(id, email), ObjectNode.class);
        ok(client.shopify("customers/create", customer));
        idle();
    }
}
