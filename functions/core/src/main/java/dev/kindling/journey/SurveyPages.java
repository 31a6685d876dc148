package dev.kindling.journey;

import dev.kindling.event.EventNames;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kindling.journey.flow.Journeys;
import dev.kindling.shop.LinkTokens;
import dev.kindling.contact.Contact;
import dev.kindling.contact.ContactStore;
import dev.kindling.email.ShopEmail;
import dev.kindling.http.ApiException;
import dev.kindling.http.HtmlPage;
import dev.kindling.http.HttpRequest;
import dev.kindling.http.HttpResponse;
import dev.kindling.http.Route;
import dev.kindling.ingest.KindlingEvents;
import dev.kindling.json.Json;
import dev.kindling.shop.Shop;
import dev.kindling.shop.ShopDirectory;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Answers from journey emails, through signed links: an NPS score (the link shows the chosen score
 * with a button, so a link scanner that opens all eleven links answers nothing; the POST records
 * {@code nps.submitted}), and a review intent ({@code review.intent}, then on to the shop's review
 * page). Both are events of the person, which scoring and the loyalty loop read.
 */
public final class SurveyPages {
    /** The event an NPS answer records on the person (its {@code score} 0–10), which the post-purchase journey branches on. */
    public static final String NPS_EVENT = EventNames.NPS_SUBMITTED;
    static final int MAX_BODY_BYTES = 16 * 1024;

    private final ShopDirectory shops;
    private final ContactStore contacts;
    private final KindlingEvents events;
    private final ShopEmail email;
    private final LinkTokens tokens;
    private final Clock clock;

    public SurveyPages(ShopDirectory shops, ContactStore contacts, KindlingEvents events, ShopEmail email,
                       LinkTokens tokens, Clock clock) {
        this.shops = shops;
        this.contacts = contacts;
        this.events = events;
        this.email = email;
        this.tokens = tokens;
        this.clock = clock;
    }

    public List<Route> routes() {
        return List.of(new Route("GET /journeys/{shopId}/nps", this::npsPage), new Route("POST /journeys/{shopId}/nps", this::nps),
                new Route("GET /journeys/{shopId}/review", this::review));
    }

    HttpResponse npsPage(HttpRequest request) {
        Answer a = answer(request);
        int score = score(request.query().get("score"));
        return HtmlPage.of(200, a.shop.name(), "Thank you", "<form method=\"post\"><p>You chose <strong>" + score + "</strong> out of 10.</p>"
                + "<input type=\"hidden\" name=\"score\" value=\"" + score + "\"><p><label>Anything you'd like to tell us? (optional)<br>"
                + "<textarea name=\"comment\" rows=\"4\" cols=\"40\" maxlength=\"2000\"></textarea></label></p>"
                + "<button type=\"submit\">Send my answer</button></form>");
    }

    HttpResponse nps(HttpRequest request) {
        Answer a = answer(request);
        Map<String, List<String>> form = request.form();
        int score = score(form.containsKey("score") ? form.get("score").getFirst() : request.query().get("score"));
        String comment = form.containsKey("comment") ? form.get("comment").getFirst() : null;
        if (comment != null && comment.length() > 2000) throw ApiException.badRequest("comment is limited to 2000 characters");
        ObjectNode props = Json.object().put("score", score).put("survey", a.claims.messageId());
        if (comment != null && !comment.isBlank()) props.put("comment", comment.strip());
        events.record(a.shop.id(), "nps:" + a.claims.messageId() + ":" + score, a.contact, NPS_EVENT, props, null,
                request.clientContext(), clock.instant());
        String accept = String.valueOf(request.header("accept"));
        if (!accept.contains("text/html")) return HttpResponse.json(200, Json.object().put("status", "recorded").put("score", score));
        return HtmlPage.of(200, a.shop.name(), "Thank you!", "<p>Your answer helps us do better.</p>");
    }

    HttpResponse review(HttpRequest request) {
        Answer a = answer(request);
        events.record(a.shop.id(), "review:" + a.claims.messageId(), a.contact, "review.intent",
                Json.object().put("survey", a.claims.messageId()), null, request.clientContext(), clock.instant());
        ShopEmail.Snapshot settings = email.current(a.shop.id());
        String target = Json.text(Journeys.of("post-purchase", settings.journeys()).data(), "review_url");
        if (target == null && settings.settings().brand() != null) target = settings.settings().brand().websiteUrl();
        if (target == null || !target.startsWith("https://")) return HtmlPage.of(200, a.shop.name(), "Thank you", "<p>Thanks for offering a review!</p>");
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("location", target); // from the shop's settings, never from the request: no open redirect
        headers.put("cache-control", "no-store");
        headers.put("referrer-policy", "no-referrer");
        return new HttpResponse(302, headers, "");
    }

    private record Answer(Shop shop, Contact contact, LinkTokens.Claims claims) {}

    private Answer answer(HttpRequest request) {
        Shop shop = shops.byId(request.pathParameter("shopId")).orElseThrow(() -> ApiException.notFound("unknown shop"));
        if (request.body().length > MAX_BODY_BYTES) throw ApiException.tooLarge("the request body is limited to 16 KB");
        LinkTokens.Claims claims;
        try {
            claims = tokens.verify(shop, LinkTokens.Purpose.SURVEY, request.query().get("t"));
        } catch (LinkTokens.InvalidToken invalid) {
            throw new ApiException(400, "invalid_link", "this link is not valid (" + invalid.getMessage() + ")");
        }
        Contact contact = contacts.current(shop.id(), claims.contactId()).orElseThrow(() -> ApiException.notFound("unknown person"));
        return new Answer(shop, contact, claims);
    }

    private static int score(String text) {
        try {
            int score = Integer.parseInt(String.valueOf(text).strip());
            if (score >= 0 && score <= 10) return score;
        } catch (NumberFormatException notANumber) {
            // refused below
        }
        throw ApiException.badRequest("score must be a whole number from 0 to 10");
    }

}
