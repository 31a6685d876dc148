package dev.kindling.admin;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kindling.contact.Contact;
import dev.kindling.contact.ContactStore;
import dev.kindling.contact.Identity;
import dev.kindling.http.ApiException;
import dev.kindling.http.HttpRequest;
import dev.kindling.http.HttpResponse;
import dev.kindling.http.Route;
import dev.kindling.json.Json;
import dev.kindling.shop.Shop;
import dev.kindling.shop.ShopDirectory;
import java.util.List;
import java.util.Optional;

/**
 * The admin read API. Every call carries {@code Authorization: Bearer <admin token>}; the token
 * names one shop and the call sees that shop's data only.
 */
public final class AdminApi {
    public static final String CONTACT_BY_EMAIL_ROUTE = "GET /admin/contacts";
    public static final String CONTACT_BY_ID_ROUTE = "GET /admin/contacts/{id}";
    static final int RECENT_EVENTS = 50;

    private final ShopDirectory shops;
    private final ContactStore contacts;

    public AdminApi(ShopDirectory shops, ContactStore contacts) {
        this.shops = shops;
        this.contacts = contacts;
    }

    public List<Route> routes() {
        return List.of(new Route(CONTACT_BY_EMAIL_ROUTE, this::contactByEmail), new Route(CONTACT_BY_ID_ROUTE, this::contactById));
    }

    HttpResponse contactByEmail(HttpRequest request) {
        Shop shop = authenticate(request);
        String email = request.query().get("email");
        if (email == null || !Identity.looksLikeEmail(email)) throw ApiException.badRequest("query parameter email must be an email address");
        Identity identity = Identity.email(email);
        String contactId = contacts.lookup(shop.id(), List.of(identity)).get(identity);
        return view(shop, Optional.ofNullable(contactId), "no contact with email " + identity.value());
    }

    HttpResponse contactById(HttpRequest request) {
        Shop shop = authenticate(request);
        String id = request.pathParameter("id");
        if (id == null || !id.matches("[A-Za-z0-9-]{1,64}")) throw ApiException.badRequest("contact id is malformed");
        return view(shop, Optional.of(id), "no contact " + id);
    }

    private HttpResponse view(Shop shop, Optional<String> contactId, String notFound) {
        Contact contact = contactId.flatMap(id -> contacts.current(shop.id(), id)).orElseThrow(() -> ApiException.notFound(notFound));
        ObjectNode body = Json.object();
        body.set("contact", Json.MAPPER.valueToTree(contact));
        body.set("events", Json.MAPPER.valueToTree(contacts.recentEvents(shop.id(), contact.historyIds(), RECENT_EVENTS)));
        return HttpResponse.json(200, body);
    }

    private Shop authenticate(HttpRequest request) {
        String authorization = request.header("authorization");
        String token = authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)
                ? authorization.substring(7).strip() : null;
        return shops.byAdminToken(token).orElseThrow(() -> ApiException.unauthorized("a valid admin token is required: Authorization: Bearer <token>"));
    }
}
