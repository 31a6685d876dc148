package dev.kindling.segment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.kindling.clv.ClvModel;
import dev.kindling.clv.ClvModels;
import dev.kindling.clv.Customer;
import dev.kindling.contact.Contact;
import dev.kindling.contact.Traits;
import dev.kindling.event.CanonicalEvent;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Everything a segment condition may read about one contact at one instant.
 *
 * @param events   the contact's events, newest first, at least as far back as the segments being evaluated look
 * @param segments the ids of the segments the contact is in now
 * @param clv      the shop's lifetime-value model, asked for only when a condition reads a prediction (null: its priors)
 */
public record Facts(Contact contact, Map<String, Double> scores, String stage, Set<String> segments,
                    List<CanonicalEvent> events, Instant now, Supplier<ClvModel> clv) {

    /** The facts with the lifetime-value model's priors (where no shop's fitted model is at hand). */
    public Facts(Contact contact, Map<String, Double> scores, String stage, Set<String> segments, List<CanonicalEvent> events, Instant now) {
        this(contact, scores, stage, segments, events, now, null);
    }

    /** What the shop's lifetime-value model predicts for this contact now; null for someone who never ordered. */
    public ClvModel.Prediction prediction() {
        Customer customer = Customer.of(contact.commerce(), now);
        return customer == null ? null : (clv != null ? clv.get() : ClvModels.PRIORS).predict(customer);
    }

    /** A trait by name or dotted path ({@code address.city}); read straight from the profile, as segments read traits per contact. */
    public JsonNode trait(String path) {
        int dot = path.indexOf('.');
        String root = dot < 0 ? path : path.substring(0, dot);
        String named = named(root);
        JsonNode node = named != null ? TextNode.valueOf(named)
                : contact.traits().custom() == null ? MissingNode.getInstance() : contact.traits().custom().path(root);
        if (dot >= 0) for (String part : path.substring(dot + 1).split("\\.")) node = node.path(part);
        return node;
    }

    /** The named traits (Segment-spec names), which win over a custom trait of the same name. */
    private String named(String name) {
        Traits t = contact.traits();
        return switch (name) {
            case "email" -> contact.email();
            case "firstName" -> t.firstName();
            case "lastName" -> t.lastName();
            case "phone" -> t.phone();
            case "birthday" -> t.birthday();
            case "timezone" -> t.timeZone();
            case "locale" -> t.locale();
            case "country" -> t.country();
            case "userId" -> contact.userId();
            default -> null;
        };
    }

    /** The contact's time zone, or UTC when unknown or unreadable. */
    public ZoneId zone() {
        String tz = contact.traits().timeZone();
        if (tz == null) return ZoneOffset.UTC;
        try {
            return ZoneId.of(tz);
        } catch (DateTimeException unknown) {
            return ZoneOffset.UTC;
        }
    }
}
