package dev.kindling.engagement;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kindling.contact.Contact;
import dev.kindling.contact.ContactStore;
import dev.kindling.http.HtmlPage;
import dev.kindling.http.HttpRequest;
import dev.kindling.http.HttpResponse;
import dev.kindling.http.Route;
import dev.kindling.ingest.KindlingEvents;
import dev.kindling.json.Json;
import dev.kindling.send.MessageRecord;
import dev.kindling.send.MessageStore;
import dev.kindling.send.SendRequest;
import dev.kindling.send.ShortLinks;
import dev.kindling.shop.Shop;
import dev.kindling.shop.ShopDirectory;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A tap on a text's short link ({@code GET /l/{shopId}/{token}}, {@link ShortLinks}): the person's {@value #CLICKED}
 * event (scoring, segments, journeys' waits, and attribution, as an email click), the message's engagement and the
 * day's counter, then one redirect to where the link pointed. A link that is not the shop's, not signed, unknown or
 * expired gets a page saying so, and nothing is recorded.
 */
public final class TextClicks {
    public static final String CLICKED = "SMS Link Clicked";

    private final ShopDirectory shops;
    private final ShortLinks links;
    private final ContactStore contacts;
    private final MessageStore messages;
    private final KindlingEvents events;
    private final Clock clock;

    public TextClicks(ShopDirectory shops, ShortLinks links, ContactStore contacts, MessageStore messages, KindlingEvents events, Clock clock) {
        this.shops = shops;
        this.links = links;
        this.contacts = contacts;
        this.messages = messages;
        this.events = events;
        this.clock = clock;
    }

    public List<Route> routes() {
        return List.of(new Route("GET /l/{shopId}/{token}", this::click));
    }

    HttpResponse click(HttpRequest request) {
        Optional<Shop> shop = shops.byId(request.pathParameter("shopId"));
        String token = request.pathParameter("token");
        Optional<ShortLinks.Link> found = shop.flatMap(s -> links.resolve(s, token));
        if (found.isEmpty()) {
            return HtmlPage.of(404, shop.map(Shop::name).orElse("Link"), "This link has expired", "<p>The link is not valid any more.</p>");
        }
        ShortLinks.Link link = found.get();
        String shopId = shop.get().id();
        Instant now = clock.instant();
        Optional<MessageRecord> message = messages.get(shopId, link.contactId(), link.messageId());
        SendRequest.Tags tags = message.map(MessageRecord::tags).orElse(SendRequest.Tags.NONE);
        ObjectNode props = Json.object().put("message_id", link.messageId()).put("url", link.url());
        message.ifPresent(m -> props.put("template", m.templateId()));
        if (tags.journey() != null) props.put("journey", tags.journey());
        if (tags.campaign() != null) props.put("campaign", tags.campaign());
        if (tags.step() != null) props.put("step", tags.step());
        if (tags.variant() != null) props.put("variant", tags.variant());
        String click = "sms-click:" + token + ":" + now.toEpochMilli();
        // a person known only by an anonymous id cannot be named in an event; the tap still redirects
        contacts.current(shopId, link.contactId()).filter(Contact::isKnown)
                .ifPresent(contact -> events.record(shopId, click, contact, CLICKED, props, null, request.clientContext(), now));
        // counted once with the mark, from the table's stream
        message.ifPresent(m -> messages.engagement(shopId, link.contactId(), link.messageId(), click, "TextClicked", now,
                EmailStats.counted(LocalDate.ofInstant(now, ZoneOffset.UTC), EmailStats.Key.of(m), Map.of(EmailStats.TEXT + "click", 1L))));
        return new HttpResponse(302, Map.of("location", link.url(), "cache-control", "no-store", "referrer-policy", "no-referrer"), "");
    }
}
