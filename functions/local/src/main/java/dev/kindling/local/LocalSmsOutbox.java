package dev.kindling.local;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.kindling.json.Json;
import dev.kindling.engagement.SmsInbound;
import dev.kindling.send.EmailSender;
import dev.kindling.send.SmsSender;
import dev.kindling.sms.SmsText;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Where the local runtime's texts go instead of End User Messaging: every text is kept (listed at {@code /sms-outbox},
 * as JSON at {@code /sms-outbox.json}) with its number, body, encoding and segments, and appended to
 * {@code sms-outbox.jsonl} in the runtime's folder, so a restart on the same data folder still lists them. Like the
 * account's opt-out list, it takes a number that texts STOP (or another opt-out keyword) and refuses to text it until
 * it texts START, as End User Messaging does (ConflictException, DESTINATION_PHONE_NUMBER_OPTED_OUT).
 */
public final class LocalSmsOutbox implements SmsSender {
    /** A text as End User Messaging would have been asked to send it, and how it goes over the air. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Text(String id, Instant at, String to, String body, String encoding, int segments, String messageType,
                       String originationIdentity, Map<String, String> context) {}

    private final List<Text> sent = new CopyOnWriteArrayList<>();
    private final Set<String> optedOut = ConcurrentHashMap.newKeySet();
    private final Path file;
    private final Path optOuts;
    private final Clock clock;
    private final AtomicLong sequence = new AtomicLong();

    public LocalSmsOutbox(Path folder, Clock clock) throws IOException {
        this.file = Files.createDirectories(folder).resolve("sms-outbox.jsonl");
        this.optOuts = folder.resolve("sms-opt-outs.txt");
        this.clock = clock;
        if (Files.exists(optOuts)) Files.readAllLines(optOuts, StandardCharsets.UTF_8).stream().filter(l -> !l.isBlank()).forEach(optedOut::add);
        if (Files.exists(file)) {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            for (int i = 0; i < lines.size(); i++) {
                if (lines.get(i).isBlank()) continue;
                try {
                    sent.add(Json.read(lines.get(i), Text.class));
                } catch (RuntimeException cutShort) {
                    // a runtime killed mid-write leaves its last line cut short: that text never went, and the line goes, so
                    // the next text starts a line of its own
                    if (i < lines.size() - 1) throw cutShort;
                    StringBuilder kept = new StringBuilder();
                    sent.forEach(t -> kept.append(Json.write(t)).append('\n'));
                    Files.writeString(file, kept.toString(), StandardCharsets.UTF_8);
                }
            }
            sequence.set(sent.size());
        }
    }

    @Override
    public String send(OutgoingText text) {
        if (isOptedOut(text.destination())) throw new EmailSender.Rejected("Conflict: " + OPTED_OUT + ": the number is on the account's opt-out list");
        return send(text.destination(), text.body(), text.marketing() ? "PROMOTIONAL" : "TRANSACTIONAL", null, text.context());
    }

    public boolean isOptedOut(String number) {
        return optedOut.contains(number);
    }

    /** A text the number sent the shop: an opt-out keyword puts it on the list, an opt-in keyword takes it off. */
    public synchronized void heard(String number, String keyword) {
        boolean changed = SmsInbound.STOP.contains(keyword) ? optedOut.add(number) : SmsInbound.START.contains(keyword) && optedOut.remove(number);
        if (!changed) return;
        try {
            Files.writeString(optOuts, String.join("\n", optedOut) + "\n", StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A text as SendTextMessage asks for it (the local runtime's answer to that call, too). */
    synchronized String send(String to, String body, String messageType, String originationIdentity, Map<String, String> context) {
        SmsText shape = SmsText.of(body);
        Text text = new Text("local-sms-" + String.format("%06d", sequence.incrementAndGet()), clock.instant(), to, body,
                shape.encoding().name(), shape.segments(), messageType, originationIdentity, context == null ? Map.of() : Map.copyOf(context));
        try {
            Files.writeString(file, Json.write(text) + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        sent.add(text);
        return text.id();
    }

    /** An erasure: the person's texts leave the list and the file, as End User Messaging would keep none of them. */
    @Override
    public synchronized void forget(String number) {
        if (sent.removeIf(t -> t.to().equals(number))) {
            StringBuilder lines = new StringBuilder();
            sent.forEach(t -> lines.append(Json.write(t)).append('\n'));
            try {
                Files.writeString(file, lines.toString(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    @Override
    public Optional<String> accepted(String messageId) {
        return sent.stream().filter(t -> messageId.equals(t.context().get("message"))).map(Text::id).findFirst();
    }

    public List<Text> all() {
        return List.copyOf(sent);
    }
}
