package dev.kindling.local;

import dev.kindling.send.EmailSender;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Where the local runtime's email goes instead of SES: every email is kept (listed at
 * {@code /outbox}, each shown with its headers and rendered) and written as an {@code .eml} file
 * a mail client opens.
 */
public final class LocalOutbox implements EmailSender {
    /** An email the outbox received, as SES would have been asked to send it. */
    public record Sent(String id, Instant at, OutgoingEmail email) {}

    private final List<Sent> sent = new CopyOnWriteArrayList<>();
    private final Path folder;
    private final Clock clock;
    private final double maxSendRate;
    private final AtomicLong sequence = new AtomicLong();

    public LocalOutbox(Path folder, Clock clock, double maxSendRate) throws IOException {
        this.folder = Files.createDirectories(folder);
        this.clock = clock;
        // a restart on the same data folder numbers on from the last email, so no file of the previous run is overwritten
        try (var files = Files.list(this.folder)) {
            sequence.set(files.map(f -> f.getFileName().toString()).filter(n -> n.matches("local-\\d{6,}-.*\\.eml"))
                    .mapToLong(n -> Long.parseLong(n.substring("local-".length(), n.indexOf('-', "local-".length())))).max().orElse(0));
        }
        this.maxSendRate = maxSendRate;
    }

    @Override
    public String send(OutgoingEmail email) {
        String id = "local-" + String.format("%06d", sequence.incrementAndGet()) + "-" + email.messageId();
        Instant at = clock.instant();
        try {
            Files.write(folder.resolve(id + ".eml"), eml(id, at, email));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        sent.add(new Sent(id, at, email));
        return id;
    }

    @Override
    public double maxSendRate() {
        return maxSendRate;
    }

    /**
     * An erasure: SES keeps no copy of what it sent, so neither does the outbox once the person is erased. Their emails
     * leave the list and their {@code .eml} files are deleted, those of an earlier run on the same folder included.
     */
    @Override
    public void forget(String address) {
        sent.removeIf(s -> s.email().to().equalsIgnoreCase(address));
        try (var files = Files.list(folder)) {
            for (Path file : files.filter(f -> f.getFileName().toString().endsWith(".eml")).toList()) {
                try (var lines = Files.lines(file, StandardCharsets.ISO_8859_1)) {
                    boolean theirs = lines.takeWhile(line -> !line.isEmpty())
                            .anyMatch(line -> line.regionMatches(true, 0, "To: ", 0, 4) && line.substring(4).strip().equalsIgnoreCase(address));
                    if (theirs) Files.deleteIfExists(file);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public List<Sent> all() {
        return List.copyOf(sent);
    }

    public Optional<Sent> byId(String id) {
        return sent.stream().filter(s -> s.id().equals(id)).findFirst();
    }

    public Path folder() {
        return folder;
    }

    public byte[] eml(Sent s) {
        return eml(s.id(), s.at(), s.email());
    }

    /**
     * The one mail session every .eml is written in: a session reads the mail providers' configuration from the
     * classpath when it is made, which cost more than writing the message itself, once per email.
     */
    private static final Session SESSION = Session.getInstance(new Properties());

    /** The email as SES would put it on the wire: multipart/alternative text and HTML, our headers, UTF-8. */
    static byte[] eml(String id, Instant at, OutgoingEmail email) {
        try {
            MimeMessage message = new MimeMessage(SESSION) {
                @Override
                protected void updateMessageID() throws MessagingException {
                    setHeader("Message-ID", "<" + id + "@kindling.local>");
                }
            };
            message.setFrom(new InternetAddress(email.from()));
            message.setRecipients(Message.RecipientType.TO, InternetAddress.parse(email.to()));
            if (email.replyTo() != null) message.setReplyTo(InternetAddress.parse(email.replyTo()));
            message.setSubject(email.subject(), "UTF-8");
            message.setSentDate(Date.from(at));
            for (Header h : email.headers()) message.addHeader(h.name(), h.value());
            List<String> tags = new ArrayList<>();
            email.tags().forEach((k, v) -> tags.add(k + "=" + v));
            message.addHeader("X-SES-Message-Tags", String.join(", ", tags));
            if (email.configurationSet() != null) message.addHeader("X-SES-Configuration-Set", email.configurationSet());
            MimeMultipart alternative = new MimeMultipart("alternative");
            MimeBodyPart text = new MimeBodyPart();
            text.setText(email.text(), "UTF-8", "plain");
            MimeBodyPart html = new MimeBodyPart();
            html.setText(email.html(), "UTF-8", "html");
            alternative.addBodyPart(text);
            alternative.addBodyPart(html);
            message.setContent(alternative);
            message.saveChanges();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            message.writeTo(out);
            return out.toByteArray();
        } catch (MessagingException | IOException e) {
            throw new IllegalStateException("cannot write email " + id + " as .eml", e);
        }
    }
}
