package dev.kindling.send;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kindling.catalog.Catalog;
import dev.kindling.catalog.Product;
import dev.kindling.catalog.Recommendations;
import dev.kindling.contact.Contact;
import dev.kindling.contact.ContactStore;
import dev.kindling.email.EmailSettings;
import dev.kindling.email.EmailTemplate;
import dev.kindling.event.CanonicalEvent;
import dev.kindling.event.EventNames;
import dev.kindling.event.Source;
import dev.kindling.event.Trust;
import dev.kindling.json.Json;
import dev.kindling.loyalty.LoyaltyProgramme;
import dev.kindling.loyalty.Standings;
import dev.kindling.shop.Shop;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The variables a template renders with: shop and brand, the contact, the triggering event and its
 * line items, recommendations, recently viewed products, links and the caller's data. The
 * contact's history is read only when the template shows recommendations or recent views.
 */
public final class EmailVariables {
    public static final int RECOMMENDATIONS = 4;
    static final int RECENTLY_VIEWED = 4;
    static final int HISTORY_READ = 100;

    private final ContactStore contacts;
    private final Recommendations recommendations;
    private final Standings loyalty;
    private final Catalog catalog;
    private final Clock clock;

    public EmailVariables(ContactStore contacts, Catalog catalog, Standings loyalty, Clock clock) {
        this.contacts = contacts;
        this.recommendations = new Recommendations(catalog);
        this.catalog = catalog;
        this.loyalty = loyalty;
        this.clock = clock;
    }

    /** How far back new arrivals go when the caller names no time (a newsletter's first run): a week. */
    static final Duration NEW_ARRIVALS_DEFAULT = Duration.ofDays(7);

    public Map<String, Object> build(Shop shop, EmailSettings settings, EmailTemplate template, Contact contact,
                                     ObjectNode context, Map<String, String> links, String messageId) {
        Map<String, Object> vars = new HashMap<>();
        vars.put("shop", shopVariables(shop, settings));
        vars.put("brand", brand(shop, settings));
        // links in data reach the email only where LinkPolicy allows: the event's as far as its source is trusted,
        // the contact's traits and the catalog's (which claims may have filled) only on the shop's own domains
        LinkPolicy linkPolicy = LinkPolicy.of(settings);
        vars.put("contact", contactVariables(contact, linkPolicy));
        Trust eventTrust = trustOf(context.path("event"));
        JsonNode event = linkPolicy.cleaned(eventProperties(context.path("event")), eventTrust);
        vars.put("event", plain(event));
        List<Product> lines = Product.ofEvent(event);
        vars.put("line_items", Product.lineItems(event));
        String checkoutUrl = Json.text(event, "checkout_url");
        if (checkoutUrl != null) vars.put("checkout_url", checkoutUrl);

        boolean wantsRecommendations = reads(template, "recommendations");
        boolean wantsViewed = reads(template, "recently_viewed");
        if (wantsRecommendations || wantsViewed) {
            History history = history(shop.id(), contact);
            List<Product> viewed = history.viewed.stream().limit(RECENTLY_VIEWED).toList();
            vars.put("recently_viewed", viewed.stream().map(p -> linkPolicy.cleaned(p.forTemplate(null), Trust.CLAIM)).toList());
            if (wantsRecommendations) {
                Set<String> seeds = new LinkedHashSet<>();
                lines.forEach(p -> seeds.add(p.id()));
                if (seeds.isEmpty()) viewed.forEach(p -> seeds.add(p.id()));
                vars.put("recommendations", recommendations.recommend(shop.id(), seeds, history.bought, RECOMMENDATIONS)
                        .stream().map(p -> linkPolicy.cleaned(p.forTemplate(null), Trust.CLAIM)).toList());
            }
        } else {
            vars.put("recently_viewed", List.of());
            vars.put("recommendations", List.of());
        }
        Map<String, Object> allLinks = new LinkedHashMap<>(links);
        context.path("links").fields().forEachRemaining(e -> allLinks.put(e.getKey(), e.getValue().asText()));
        vars.put("links", allLinks);
        if (reads(template, "new_arrivals")) {
            // since the campaign's last run (its data.since), else a week before this minute (one moment for every email of
            // the minute, so the catalog is asked the same and read once): products the shop's own data showed first
            Instant since = since(Json.text(context.path("data"), "since"));
            Instant weekAgo = clock.instant().truncatedTo(ChronoUnit.MINUTES).minus(NEW_ARRIVALS_DEFAULT);
            vars.put("new_arrivals", catalog.newSince(shop.id(), since != null ? since : weekAgo, RECOMMENDATIONS)
                    .stream().map(p -> linkPolicy.cleaned(p.forTemplate(null), Trust.CLAIM)).toList());
        }
        if (reads(template, "loyalty")) {
            // read only for a template that shows it: one read of the person's report ledger
            Map<String, Object> standing = loyalty.of(shop.id(), contact).map(LoyaltyProgramme.Standing::variables).orElse(new LinkedHashMap<>());
            standing.put("referral_url", links.get("referral"));
            vars.put("loyalty", standing);
        }
        vars.put("message", Map.of("id", messageId));
        vars.put("data", plain(context.path("data")));
        return vars;
    }

    private static Instant since(String text) {
        try {
            return text == null ? null : Instant.parse(text);
        } catch (DateTimeParseException notATime) {
            return null;
        }
    }

    /** Whether a template shows a variable (its layout and partials only show what the email hands them). */
    private static boolean reads(EmailTemplate template, String variable) {
        return template.parts().stream().anyMatch(p -> p.source().contains(variable));
    }

    private record History(List<Product> viewed, Set<String> bought) {}

    private History history(String shopId, Contact contact) {
        List<Product> viewed = new ArrayList<>();
        Set<String> seenViewed = new LinkedHashSet<>();
        Set<String> bought = new LinkedHashSet<>();
        for (CanonicalEvent e : contacts.recentEvents(shopId, contact.historyIds(), HISTORY_READ)) {
            if (e.event() == null) continue;
            if (e.event().equals("Product Viewed")) {
                for (Product p : Product.ofEvent(e.properties())) if (seenViewed.add(p.id())) viewed.add(p);
            } else if (EventNames.commerceEffect(e) == EventNames.CommerceEffect.ORDER) {
                Product.ofEvent(e.properties()).forEach(p -> bought.add(p.id()));
            }
        }
        viewed.removeIf(p -> bought.contains(p.id()));
        return new History(viewed, bought);
    }

    static Map<String, Object> shopVariables(Shop shop, EmailSettings settings) {
        Map<String, Object> m = new HashMap<>();
        m.put("id", shop.id());
        m.put("name", shop.name());
        m.put("currency", settings.currency());
        if (settings.brand() != null) m.put("website_url", settings.brand().websiteUrl());
        return m;
    }

    static Map<String, Object> brand(Shop shop, EmailSettings settings) {
        Map<String, Object> m = new HashMap<>();
        EmailSettings.Brand b = settings.brand();
        m.put("name", b != null && b.name() != null ? b.name() : shop.name());
        if (b != null) {
            m.put("logo_url", b.logoUrl());
            m.put("primary_color", b.primaryColor());
            m.put("website_url", b.websiteUrl());
            m.put("postal_address", b.postalAddress());
        }
        return m;
    }

    static Map<String, Object> contactVariables(Contact contact, LinkPolicy linkPolicy) {
        Map<String, Object> m = new HashMap<>();
        var t = contact.traits();
        // traits are what anyone with the write key may set on a profile: their links only on the shop's own domains
        Map<String, Object> custom = t.custom() == null ? Map.of() : plain(linkPolicy.cleaned(t.custom(), Trust.CLAIM));
        m.putAll(custom);
        m.put("traits", custom);
        m.put("email", contact.email());
        m.put("first_name", t.firstName());
        m.put("last_name", t.lastName());
        String name = ((t.firstName() == null ? "" : t.firstName()) + " " + (t.lastName() == null ? "" : t.lastName())).strip();
        m.put("name", name.isEmpty() ? null : name);
        m.put("phone", t.phone());
        m.put("locale", t.locale());
        m.put("country", t.country());
        m.put("birthday", t.birthday());
        m.put("timezone", t.timeZone());
        m.put("orders_count", contact.commerce() == null ? 0 : contact.commerce().orders());
        return m;
    }

    /**
     * How far the triggering event is believed: a journey's trigger says it ({@code trust}, set when the journey
     * started), a canonical event by its source; anything else is taken as a claim.
     */
    static Trust trustOf(JsonNode event) {
        if (event == null || !event.isObject()) return Trust.CLAIM;
        if (event.has("trust")) return Trust.ofWireName(event.path("trust").asText());
        if (event.path("properties").isObject() && event.path("source").isTextual()) {
            for (Source source : Source.values()) if (source.wireName().equals(event.path("source").asText())) return source.trust();
        }
        return Trust.CLAIM;
    }

    /** The triggering event as the caller passed it: a canonical event (its properties are used) or the properties themselves. */
    static JsonNode eventProperties(JsonNode event) {
        if (event == null || !event.isObject()) return Json.object();
        JsonNode properties = event.path("properties");
        if (properties.isObject()) {
            ObjectNode copy = ((ObjectNode) properties).deepCopy();
            if (event.has("event")) copy.put("name", event.path("event").asText());
            return copy;
        }
        return event;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> plain(JsonNode node) {
        if (node == null || !node.isObject()) return Map.of();
        return Json.MAPPER.convertValue(node, Map.class);
    }
}
