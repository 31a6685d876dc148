package dev.kindling.local;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kindling.json.Json;
import dev.kindling.send.EmailSender;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * An SES v2 endpoint that keeps what it took and shows it (the aws-ses-v2-local emulator's {@code GET /store}): each email
 * carries its Kindling message id in a header, so a claim a killed runtime abandoned is settled by asking the emulator
 * whether it has the message, as the local outbox answers it, where on AWS SES's Send event answers it.
 */
final class EmulatedSes implements EmailSender {
    static final String MESSAGE_HEADER = "X-Kindling-Message";

    private final EmailSender ses;
    private final URI store;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    EmulatedSes(EmailSender ses, String endpoint) {
        this.ses = ses;
        this.store = URI.create(endpoint.replaceAll("/+$", "") + "/store");
    }

    @Override
    public String send(OutgoingEmail email) {
        List<Header> headers = new ArrayList<>(email.headers());
        headers.add(new Header(MESSAGE_HEADER, email.messageId()));
        return ses.send(new OutgoingEmail(email.messageId(), email.from(), email.replyTo(), email.to(), email.subject(), email.html(), email.text(),
                List.copyOf(headers), email.tags(), email.configurationSet()));
    }

    @Override
    public Optional<String> accepted(String messageId) {
        try {
            HttpResponse<String> answer = http.send(HttpRequest.newBuilder(store).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (answer.statusCode() != 200) return Optional.empty();
            for (JsonNode email : Json.read(answer.body(), JsonNode.class).path("emails")) {
                for (JsonNode header : email.path("headers")) {
                    if (MESSAGE_HEADER.equalsIgnoreCase(header.path("name").asText()) && messageId.equals(header.path("value").asText())) {
                        return Optional.of(email.path("messageId").asText());
                    }
                }
            }
            return Optional.empty();
        } catch (IOException e) {
            // the emulator cannot say now: the claim is settled on a later call, never guessed
            throw new IllegalStateException("the SES emulator's store did not answer: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted asking the SES emulator", e);
        }
    }

    @Override
    public double maxSendRate() {
        return ses.maxSendRate();
    }

    @Override
    public void forget(String address) {
        ses.forget(address);
    }
}
