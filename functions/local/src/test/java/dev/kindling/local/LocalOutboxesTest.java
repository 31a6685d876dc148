package dev.kindling.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kindling.send.EmailSender;
import dev.kindling.send.SmsSender;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The local outboxes answer what SES and End User Messaging cannot be asked: whether they took a message. A runtime
 * started again on the same folder still knows (a claim the killed one abandoned is settled by it), and what a kill cut
 * off mid-write is not taken for sent.
 */
class LocalOutboxesTest {
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-02T10:00:00Z"), ZoneOffset.UTC);

    @Test
    void theEmailOutboxKnowsAfterARestartWhichMessagesItTookAndIgnoresAHalfWrittenOne(@TempDir Path folder) throws Exception {
        LocalOutbox first = new LocalOutbox(folder, CLOCK, 14, "http://127.0.0.1:3000");
        String id = first.send(new EmailSender.OutgoingEmail("m-kept", "hello@shop.example", null, "ana@example.com", "Hi",
                "<p><a href=\"https://shop.example/a?x=1&amp;y=2\">a</a></p>", "a", List.of(), Map.of("shop", "demo", "message", "m-kept"), "set"));
        assertThat(first.accepted("m-kept")).contains(id);
        Files.writeString(folder.resolve("local-000009-m-cut.partial"), "From: hello@shop.example\r\nTo: bo"); // a kill mid-write

        LocalOutbox again = new LocalOutbox(folder, CLOCK, 14, "http://127.0.0.1:3000");
        assertThat(again.accepted("m-kept")).as("after a restart").contains(id);
        assertThat(again.accepted("m-cut")).as("cut off mid-write: never sent").isEmpty();
        // an email of the earlier run is read back from its file: its tags (for SES's events) and its tracked HTML
        var read = again.byId(id).orElseThrow();
        assertThat(read.email().tags()).containsEntry("message", "m-kept").containsEntry("shop", "demo");
        assertThat(read.deliveredHtml()).contains("/t/click/" + id + "/0?u=https%3A%2F%2Fshop.example%2Fa%3Fx%3D1%26y%3D2", "/t/open/" + id);
    }

    @Test
    void theSmsOutboxKnowsWhichTextsItTookAndSurvivesALineCutShort(@TempDir Path folder) throws Exception {
        LocalSmsOutbox first = new LocalSmsOutbox(folder, CLOCK);
        String id = first.send(new SmsSender.OutgoingText("t-kept", "+14155550101", "Demo shop: hi", false, Map.of("message", "t-kept")));
        Files.writeString(folder.resolve("sms-outbox.jsonl"), "{\"id\":\"local-sms-0000", StandardCharsets.UTF_8, StandardOpenOption.APPEND);

        LocalSmsOutbox again = new LocalSmsOutbox(folder, CLOCK);
        assertThat(again.accepted("t-kept")).contains(id);
        assertThat(again.accepted("t-never")).isEmpty();
        assertThat(again.all()).hasSize(1);
        again.send(new SmsSender.OutgoingText("t-next", "+14155550101", "Demo shop: and again", false, Map.of("message", "t-next")));
        assertThat(new LocalSmsOutbox(folder, CLOCK).all()).as("the next text on a line of its own").hasSize(2);
    }
}
