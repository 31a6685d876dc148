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
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Where the local runtime's email goes instead of SES: every email is kept (listed at
 * {@code /outbox}, each shown with its headers and rendered) and written as an {@code .eml} file
 * a mail client opens.
 */
public final class LocalOutbox implements EmailSender {
    /**
     * An email the outbox received, as SES would have been asked to send it ({@code email}), and its HTML as delivered
     * ({@code deliveredHtml}: with open and click tracking, {@link LocalTracking}).
     */
    public record Sent(String id, Instant at, OutgoingEmail email, String deliveredHtml) {}

    /**
     * In the order sent. Appended to by every sender at once and read seldom (a page, a test): a copy-on-write list copied
     * all the emails so far on every send, under one lock, which a campaign's senders queued for.
     */
    private final ConcurrentLinkedQueue<Sent> sent = new ConcurrentLinkedQueue<>();
    private final Path folder;
    private final Clock clock;
    private final double maxSendRate;
    private final AtomicLong sequence = new AtomicLong();
    private final LocalTracking tracking;
    /** Kindling's message id → the outbox's id, for every email this folder holds. */
    private final Map<String, String> taken = new ConcurrentHashMap<>();

    public LocalOutbox(Path folder, Clock clock, double maxSendRate) throws IOException {
        this(folder, clock, maxSendRate, null);
    }

    /** @param trackingBase where the runtime serves the tracking redirect and pixel; null: no tracking */
    public LocalOutbox(Path folder, Clock clock, double maxSendRate, String trackingBase) throws IOException {
        this.folder = Files.createDirectories(folder);
        this.tracking = trackingBase == null ? null : new LocalTracking(trackingBase, this.folder, clock);
        this.clock = clock;
        // a restart on the same data folder numbers on from the last email, so no file of the previous run is overwritten, and
        // knows which messages it took before (a claim the killed runtime abandoned is settled by it, as SES's Send event settles one)
        try (var files = Files.list(this.folder)) {
            for (String name : files.map(f -> f.getFileName().toString()).filter(n -> n.matches("local-\\d{6,}-.*\\.eml")).toList()) {
                int dash = name.indexOf('-', "local-".length());
                sequence.accumulateAndGet(Long.parseLong(name.substring("local-".length(), dash)), Math::max);
                taken.put(name.substring(dash + 1, name.length() - ".eml".length()), name.substring(0, name.length() - ".eml".length()));
            }
        }
        this.maxSendRate = maxSendRate;
    }

    @Override
    public String send(OutgoingEmail email) {
        String id = "local-" + String.format("%06d", sequence.incrementAndGet()) + "-" + email.messageId();
        Instant at = clock.instant();
        OutgoingEmail delivered;
        try {
            // whole or not at all, as SES takes a message: a kill mid-write leaves no half an email in the outbox
            Path partial = folder.resolve(id + ".partial");
            delivered = tracking == null ? email : withHtml(email, tracking.tracked(id, email.html()));
            Files.write(partial, eml(id, at, delivered));
            Files.move(partial, folder.resolve(id + ".eml"), StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        taken.put(email.messageId(), id);
        sent.add(new Sent(id, at, email, delivered.html()));
        return id;
    }

    @Override
    public Optional<String> accepted(String messageId) {
        return Optional.ofNullable(taken.get(messageId));
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

    /** An email by its outbox id: of this run, or read back from its .eml file (one sent before a restart). */
    public Optional<Sent> byId(String id) {
        Optional<Sent> kept = sent.stream().filter(s -> s.id().equals(id)).findFirst();
        if (kept.isPresent() || !id.matches("local-\\d{6,}-[A-Za-z0-9-]+")) return kept; // a file name of ours, nothing else
        Path file = folder.resolve(id + ".eml");
        if (!Files.exists(file)) return Optional.empty();
        try (var in = Files.newInputStream(file)) {
            MimeMessage message = new MimeMessage(SESSION, in);
            Map<String, String> tags = new java.util.LinkedHashMap<>();
            String tagLine = message.getHeader("X-SES-Message-Tags", null);
            if (tagLine != null) {
                for (String pair : tagLine.split(",\\s*")) {
                    int eq = pair.indexOf('=');
                    if (eq > 0) tags.put(pair.substring(0, eq).strip(), pair.substring(eq + 1).strip());
                }
            }
            String html = "", text = "";
            if (message.getContent() instanceof MimeMultipart parts) {
                for (int i = 0; i < parts.getCount(); i++) {
                    var part = parts.getBodyPart(i);
                    if (part.isMimeType("text/html")) html = String.valueOf(part.getContent());
                    else if (part.isMimeType("text/plain")) text = String.valueOf(part.getContent());
                }
            }
            String messageId = id.substring(id.indexOf('-', "local-".length()) + 1);
            OutgoingEmail email = new OutgoingEmail(messageId, message.getHeader("From", null), message.getHeader("Reply-To", null),
                    message.getHeader("To", null), message.getSubject(), html, text, List.of(), Map.copyOf(tags),
                    message.getHeader("X-SES-Configuration-Set", null));
            return Optional.of(new Sent(id, message.getSentDate().toInstant(), email, html));
        } catch (IOException | MessagingException unreadable) {
            return Optional.empty();
        }
    }

    /** Open and click tracking of this outbox's emails, or null when it has none. */
    LocalTracking tracking() {
        return tracking;
    }

    private static OutgoingEmail withHtml(OutgoingEmail e, String html) {
        return new OutgoingEmail(e.messageId(), e.from(), e.replyTo(), e.to(), e.subject(), html, e.text(), e.headers(), e.tags(), e.configurationSet());
    }

    public Path folder() {
        return folder;
    }

    /** The email's .eml as delivered: its file, or written again when the file is gone. */
    public byte[] eml(Sent s) {
        try {
            Path file = folder.resolve(s.id() + ".eml");
            if (Files.exists(file)) return Files.readAllBytes(file);
        } catch (IOException unreadable) {
            // written again below
        }
        return eml(s.id(), s.at(), withHtml(s.email(), s.deliveredHtml()));
    }

    /**
     * The one mail session every .eml is written in: a session reads the mail providers' configuration from the
     * classpath when it is made, which cost more than writing the message itself, once per email.
     */
    private static final Session SESSION = Session.getInstance(new Properties());

    static {
        // Each MimeMultipart and MimeBodyPart looks up its stream provider, through ServiceLoader's scan of every jar on the
        // class path unless this property names it (the one Angus Mail registers there): a seventh of an email's writing,
        // a twentieth of a local campaign's senders' time
        if (System.getProperty("jakarta.mail.util.StreamProvider") == null) {
            System.setProperty("jakarta.mail.util.StreamProvider", "org.eclipse.angus.mail.util.MailStreamProvider");
        }
    }

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
