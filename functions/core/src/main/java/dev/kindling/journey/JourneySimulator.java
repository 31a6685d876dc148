package dev.kindling.journey;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kindling.journey.asl.Execution;
import dev.kindling.journey.asl.Interpreter;
import dev.kindling.journey.asl.StateMachine;
import dev.kindling.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A dry run of a journey: its state machine on the journey engine with time skipped, the journey
 * function's decisions answered from a profile and a list of future events (an order on day 2, an
 * NPS answer of 9 …), and every send recorded instead of made. Says which emails would go out and
 * when, and how the execution would end; sends and stores nothing.
 */
public final class JourneySimulator {
    private static final Map<String, StateMachine> MACHINES = new ConcurrentHashMap<>();
    static final Duration HORIZON = Duration.ofDays(120);

    /** A future event of the contact, {@code after} the journey starts. */
    public record Event(Duration after, String name, JsonNode properties) {}

    /** @param consentGranted whether the contact has said yes to marketing email */
    public record Contact(boolean consentGranted, boolean hasEmail) {}

    public record Email(Instant at, String step, String template, String kind, String outcome) {}

    public record Result(List<Email> emails, List<String> path, String status, long transitions, Instant endedAt, String ended) {}

    public static StateMachine machine(String journey) {
        return MACHINES.computeIfAbsent(journey, j -> {
            try (InputStream in = JourneySimulator.class.getResourceAsStream("/statemachines/" + j + ".asl.json")) {
                if (in == null) throw new IllegalArgumentException("no journey " + j);
                String definition = new String(in.readAllBytes(), StandardCharsets.UTF_8)
                        .replace("${JourneyFunctionArn}", "JourneyFunction").replace("${SendFunctionArn}", "SendFunction");
                return StateMachine.of(j, Json.read(definition, JsonNode.class));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    public static Result run(String journey, JourneySettings settings, Contact contact, JsonNode trigger, List<Event> events, Instant start) {
        StateMachine machine = machine(journey);
        ObjectNode input = Json.object().put("shopId", "simulation").put("contactId", "simulated").put("key", "simulation");
        input.set("trigger", withSampleFields(trigger));
        Execution e = Interpreter.start(machine, "simulation", input, start);
        List<Event> sorted = events.stream().sorted(Comparator.comparing(Event::after)).toList();
        List<Email> emails = new ArrayList<>();
        Instant[] now = {start};
        String[] ended = {null};
        Interpreter.Tasks tasks = (state, resource, payload) -> resource.endsWith("SendFunction")
                ? send(payload, contact.consentGranted() || happened(sorted, start, now[0], "Email Subscription Confirmed") != null, contact, emails, now[0])
                : decide(payload, journey, settings, contact, sorted, start, now[0], ended);
        while (!e.isDone()) {
            Interpreter.run(machine, e, tasks, now[0]);
            if (e.status() == Execution.Status.WAITING) {
                if (e.waitUntil().isAfter(start.plus(HORIZON))) {
                    ended[0] = "still waiting at the horizon";
                    break;
                }
                now[0] = e.waitUntil();
            }
        }
        return new Result(List.copyOf(emails), e.path(), e.status().name(), e.transitions(), now[0], ended[0]);
    }

    /**
     * The trigger with the fields a journey's steps read (an order id, a checkout token …) filled from the
     * sample data where the caller gave none: a dry run needs no real order.
     */
    static JsonNode withSampleFields(JsonNode trigger) {
        ObjectNode sample = Json.MAPPER.valueToTree(dev.kindling.email.SampleData.variables("Simulation", dev.kindling.email.EmailSettings.DEFAULTS).get("event"));
        sample.put("checkout_token", "simulated-checkout");
        if (trigger != null && trigger.isObject()) sample.setAll((ObjectNode) trigger.deepCopy());
        return sample;
    }

    private static JsonNode send(JsonNode payload, boolean consent, Contact contact, List<Email> emails, Instant now) {
        String kind = payload.path("kind").asText();
        String outcome = !contact.hasEmail() ? "skipped: no_email" : kind.equals("marketing") && !consent ? "skipped: no_consent" : "sent";
        emails.add(new Email(now, payload.path("tags").path("step").asText(), payload.path("template").asText(), kind, outcome));
        return Json.object().put("messageId", "simulated").put("status", outcome.equals("sent") ? "sent" : "skipped")
                .put("reason", outcome.equals("sent") ? null : outcome.substring(9));
    }

    private static JsonNode decide(JsonNode p, String journey, JourneySettings settings, Contact contact, List<Event> events, Instant start,
                                   Instant now, String[] ended) {
        String action = p.path("action").asText();
        ObjectNode out = Json.object();
        switch (action) {
            case "enter" -> {
                out.put("run", settings.enabled()).put("variant", settings.variants().getFirst().name()).put("holdout", false);
                if (!settings.enabled()) out.put("reason", "disabled");
                ObjectNode delays = out.putObject("delays");
                settings.delays().forEach(delays::put);
                ObjectNode templates = out.putObject("templates");
                settings.templatesFor(settings.variants().getFirst()).forEach(templates::put);
                out.set("data", settings.data());
            }
            case "check" -> {
                Event order = happened(events, start, now, "Order Completed");
                if (order != null) {
                    out.put("exit", true).put("reason", journey.equals("post-purchase") ? "restarted" : "ordered");
                } else if (happened(events, start, now, "Email Unsubscribed") != null && p.path("marketing").asBoolean(true)) {
                    out.put("exit", true).put("reason", "unsubscribed");
                } else {
                    out.put("exit", false);
                }
            }
            case "consent" -> out.put("state", contact.consentGranted() || happened(events, start, now, "Email Subscription Confirmed") != null
                    ? "granted" : "pending").put("confirmationSent", p.path("confirmationSent").asBoolean(false)).put("confirmUrl", "https://example.com/confirm");
            case "fulfilled" -> out.put("fulfilled", happened(events, start, now, "Order Fulfilled") != null)
                    .put("giveUp", now.isAfter(start.plus(Duration.ofDays(settings.giveUpDays()))));
            case "nps-links" -> {
                ArrayNode links = out.putArray("links");
                for (int s = 0; s <= 10; s++) links.addObject().put("score", s).put("url", "https://example.com/nps/" + s);
            }
            case "review-link" -> out.put("review_url", "https://example.com/review");
            case "nps-answer" -> {
                Event answer = happened(events, start, now, JourneySteps.NPS_EVENT);
                if (answer == null) {
                    out.put("group", "none");
                } else {
                    int score = answer.properties().path("score").asInt();
                    out.put("score", score).put("group", score >= 9 ? "promoter" : score >= 7 ? "passive" : "detractor");
                }
            }
            case "support" -> out.put("published", true);
            case "exit" -> {
                ended[0] = "exited: " + p.path("reason").asText();
                out.put("recorded", true);
            }
            case "complete" -> {
                ended[0] = "completed";
                out.put("recorded", true);
            }
            default -> throw new IllegalArgumentException("unknown action " + action);
        }
        return out;
    }

    /** The latest event of that name between the start and now. */
    private static Event happened(List<Event> events, Instant start, Instant now, String name) {
        Event found = null;
        for (Event e : events) {
            if (e.name().equals(name) && !start.plus(e.after()).isAfter(now)) found = e;
        }
        return found;
    }
}
