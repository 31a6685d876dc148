package dev.kindling.local;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kindling.json.Json;
import dev.kindling.send.EmailSender;
import dev.kindling.shop.Signatures;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jsoup.nodes.Entities;
import org.jsoup.parser.Parser;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequestEntry;

/**
 * Open and click tracking as an SES configuration set with tracking does it, for the local outbox: each link of an
 * email's HTML goes through a redirect on the runtime ({@code /t/click/<email>/<n>?u=…&s=…}, signed, so it redirects only
 * where the email linked) and an open pixel ({@code /t/open/<email>}) ends its body. Following the link, or fetching the
 * pixel, puts SES's {@code Click} or {@code Open} event, in SES's shape with the email's tags, on the local bus, where the
 * engagement function takes it as on AWS: attribution, click scoring and journeys' "did they open" branches can be tried
 * by hand from {@code /outbox}. A link marked {@code ses:no-track} is left as it is, as SES leaves it.
 */
final class LocalTracking {
    private static final Pattern LINK = Pattern.compile("(<a\\b[^>]*?\\bhref\\s*=\\s*\")(https?://[^\"]*)(\"[^>]*>)", Pattern.CASE_INSENSITIVE);

    private final String baseUrl;
    private final String secret;
    private final Clock clock;
    private Consumer<PutEventsRequestEntry> bus = entry -> {};

    /** @param folder where the signing secret is kept, so links of emails sent before a restart still work after it */
    LocalTracking(String baseUrl, Path folder, Clock clock) {
        this.baseUrl = baseUrl;
        this.clock = clock;
        Path kept = folder.resolve(".tracking-secret");
        try {
            if (!Files.exists(kept)) {
                byte[] random = new byte[32];
                new SecureRandom().nextBytes(random);
                Files.writeString(kept, HexFormat.of().formatHex(random));
            }
            secret = Files.readString(kept).strip();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Where the events go: the local bus, once it exists. */
    void publishTo(Consumer<PutEventsRequestEntry> bus) {
        this.bus = bus;
    }

    /** The HTML as SES delivers it with tracking on: every link through the click redirect, the open pixel at the end. */
    String tracked(String outboxId, String html) {
        Matcher m = LINK.matcher(html);
        StringBuilder out = new StringBuilder();
        int n = 0;
        while (m.find()) {
            String tag = m.group(0);
            if (tag.contains("ses:no-track")) {
                m.appendReplacement(out, Matcher.quoteReplacement(tag));
                continue;
            }
            String url = Parser.unescapeEntities(m.group(2), true);
            String redirect = baseUrl + "/t/click/" + outboxId + "/" + n + "?u=" + URLEncoder.encode(url, StandardCharsets.UTF_8)
                    + "&s=" + signature(outboxId, n, url);
            m.appendReplacement(out, Matcher.quoteReplacement(m.group(1) + Entities.escape(redirect) + m.group(3)));
            n++;
        }
        m.appendTail(out);
        String pixel = "<img src=\"" + baseUrl + "/t/open/" + outboxId + "\" width=\"1\" height=\"1\" alt=\"\" style=\"display:none\">";
        int end = out.lastIndexOf("</body>");
        return end >= 0 ? out.insert(end, pixel).toString() : out.append(pixel).toString();
    }

    /** A followed link: SES's Click event for the email, and where to go; empty when the link is not one an email had. */
    Optional<String> click(LocalOutbox.Sent email, int n, String url, String signature, String userAgent, String ip) {
        if (url == null || !Signatures.verifyHexSha256(secret, signed(email.id(), n, url), signature)) return Optional.empty();
        bus.accept(sesEvent(email, "Click", Json.object().put("link", url).put("userAgent", userAgent).put("ipAddress", ip), clock.instant()));
        return Optional.of(url);
    }

    /** A fetched pixel: SES's Open event for the email. */
    void open(LocalOutbox.Sent email, String userAgent, String ip) {
        bus.accept(sesEvent(email, "Open", Json.object().put("userAgent", userAgent).put("ipAddress", ip), clock.instant()));
    }

    /**
     * SES's event of this type for an email the outbox sent, as SES puts it on the bus: its record ({@code eventType},
     * {@code mail} with the email's tags as SES gives them back, and the object of its type, stamped {@code at}), under
     * the detail type SES gives each type.
     */
    static PutEventsRequestEntry sesEvent(LocalOutbox.Sent sent, String type, ObjectNode what, Instant at) {
        EmailSender.OutgoingEmail email = sent.email();
        ObjectNode detail = Json.object().put("eventType", type);
        ObjectNode mail = detail.putObject("mail").put("timestamp", sent.at().toString()).put("messageId", "ses-" + sent.id())
                .put("source", email.from());
        mail.putArray("destination").add(email.to());
        ObjectNode tags = mail.putObject("tags");
        email.tags().forEach((k, v) -> tags.putArray(k).add(v));
        if (email.configurationSet() != null) tags.putArray("ses:configuration-set").add(email.configurationSet());
        ObjectNode object = what.deepCopy();
        object.put("timestamp", at.toString());
        detail.set(type.substring(0, 1).toLowerCase() + type.substring(1), object);
        String detailType = switch (type) {
            case "Send" -> "Email Sent";
            case "Delivery" -> "Email Delivered";
            case "Open" -> "Email Opened";
            case "Click" -> "Email Clicked";
            case "Bounce" -> "Email Bounced";
            case "Complaint" -> "Email Complaint Received";
            default -> "Email " + type;
        };
        return PutEventsRequestEntry.builder().source("aws.ses").detailType(detailType).detail(Json.write(detail)).build();
    }

    private String signature(String outboxId, int n, String url) {
        return Signatures.hmacSha256Hex(secret, new String(signed(outboxId, n, url), StandardCharsets.UTF_8));
    }

    private static byte[] signed(String outboxId, int n, String url) {
        return (outboxId + "\n" + n + "\n" + url).getBytes(StandardCharsets.UTF_8);
    }
}
