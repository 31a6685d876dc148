package dev.kindling.engagement;

import dev.kindling.coupon.Coupon;
import dev.kindling.coupon.CouponCodes;
import dev.kindling.email.EmailSettings;
import dev.kindling.email.ShopEmail;
import dev.kindling.http.HtmlPage;
import dev.kindling.http.HttpRequest;
import dev.kindling.http.HttpResponse;
import dev.kindling.http.Route;
import dev.kindling.loyalty.LoyaltyProgramme;
import dev.kindling.shop.LinkTokens;
import dev.kindling.shop.Shop;
import dev.kindling.shop.ShopDirectory;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An advocate's referral link ({@code GET /r/{shopId}?t=…}, signed for one person): a friend who follows it gets the
 * advocate's own referral code, a code of the programme's referral coupon given to the advocate once (the same code on
 * every visit). On a Shopify shop the friend lands on the shop with the code applied at checkout ({@code
 * /discount/CODE}, Shopify's shareable discount link); elsewhere a page shows the code to enter. The friend's first order
 * with the code credits the advocate ({@code report.ReportCounting}).
 */
public final class ReferralLinks {
    private final ShopDirectory shops;
    private final ShopEmail email;
    private final CouponCodes codes;
    private final LinkTokens tokens;
    private final Clock clock;

    public ReferralLinks(ShopDirectory shops, ShopEmail email, CouponCodes codes, LinkTokens tokens, Clock clock) {
        this.shops = shops;
        this.email = email;
        this.codes = codes;
        this.tokens = tokens;
        this.clock = clock;
    }

    public List<Route> routes() {
        return List.of(new Route("GET /r/{shopId}", this::follow));
    }

    HttpResponse follow(HttpRequest request) {
        Optional<Shop> found = shops.byId(request.pathParameter("shopId"));
        if (found.isEmpty()) return HtmlPage.of(404, "Referral", "This link is not valid", "<p>The link is not valid.</p>");
        Shop shop = found.get();
        LinkTokens.Claims claims;
        try {
            claims = tokens.verify(shop, LinkTokens.Purpose.REFERRAL, request.query().get("t"));
        } catch (LinkTokens.InvalidToken invalid) {
            return HtmlPage.of(404, shop.name(), "This link is not valid", "<p>The link is not valid any more.</p>");
        }
        ShopEmail.Snapshot snapshot = email.current(shop.id());
        EmailSettings settings = snapshot.settings();
        LoyaltyProgramme programme = settings.loyalty();
        Coupon coupon = programme == null || programme.referral() == null ? null : snapshot.coupons().get(programme.referral().coupon());
        if (coupon == null) return HtmlPage.of(404, shop.name(), "No referral offer now", "<p>The shop has no referral offer at the moment.</p>");
        String advocate = claims.contactId();
        Optional<CouponCodes.Given> given = codes.give(shop.id(), coupon.id(),
                new CouponCodes.Giver("referral:" + advocate, advocate, null, null, null, null, null, null), clock.instant());
        if (given.isEmpty()) return HtmlPage.of(503, shop.name(), "Please try again later", "<p>The shop's referral codes are used up for now.</p>");
        String code = given.get().code();
        String website = settings.brand() == null ? null : settings.brand().websiteUrl();
        if (shop.shopifySecret() != null && website != null && website.startsWith("https://")) {
            Map<String, String> headers = new LinkedHashMap<>();
            // the shop's own site from its settings and a code of ours: never a target from the request (no open redirect)
            headers.put("location", website.replaceAll("/+$", "") + "/discount/" + URLEncoder.encode(code, StandardCharsets.UTF_8) + "?redirect=%2F");
            headers.put("cache-control", "no-store");
            headers.put("referrer-policy", "no-referrer");
            return new HttpResponse(302, headers, "");
        }
        String shopLink = website != null && website.startsWith("https://") ? "<p><a href=\"" + HtmlPage.escape(website) + "\">Go to the shop</a></p>" : "";
        return HtmlPage.of(200, shop.name(), "A gift from a friend", "<p>Your code for your first order: <strong>" + HtmlPage.escape(code)
                + "</strong>. Enter it at checkout.</p>" + shopLink);
    }
}
