package dev.kindling.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kindling.config.ConfigKind;
import dev.kindling.coupon.Coupon;
import dev.kindling.coupon.CouponCodes;
import dev.kindling.coupon.PlatformCodes;
import dev.kindling.email.ShopEmail;
import dev.kindling.http.ApiException;
import dev.kindling.http.HttpRequest;
import dev.kindling.http.HttpResponse;
import dev.kindling.http.Route;
import dev.kindling.json.Json;
import dev.kindling.shop.Shop;
import dev.kindling.shop.ShopDirectory;
import java.util.List;

/**
 * A shop's coupons ({@link Coupon}): saved as documents beside its templates, their codes in the pool, each handed out
 * once. A save adds the document's codes to the pool (those the shop has already are left out), so a pool is topped up
 * by saving again with more codes; the stored document keeps everything but the codes.
 */
public final class CouponAdminApi {
    static final int MAX_COUPONS = 100;
    /** A document with the most codes one save takes ({@value Coupon#MAX_CODES} of up to 64 characters) fits. */
    static final int MAX_BYTES = 512 * 1024;

    private final ShopDirectory shops;
    private final ShopEmail email;
    private final CouponCodes codes;

    public CouponAdminApi(ShopDirectory shops, ShopEmail email, CouponCodes codes) {
        this.shops = shops;
        this.email = email;
        this.codes = codes;
    }

    public List<Route> routes() {
        return List.of(
                new Route("GET /admin/coupons", this::list),
                new Route("GET /admin/coupons/{id}", this::get),
                new Route("PUT /admin/coupons/{id}", this::put),
                new Route("DELETE /admin/coupons/{id}", this::delete),
                new Route("GET /admin/coupons/{id}/codes/{code}", this::code));
    }

    HttpResponse list(HttpRequest request) {
        Shop shop = AdminAuth.shop(shops, request);
        ArrayNode list = Json.MAPPER.createArrayNode();
        email.current(shop.id()).coupons().values().forEach(c -> list.add(summary(shop.id(), c)));
        return HttpResponse.json(200, Json.object().set("coupons", list));
    }

    HttpResponse get(HttpRequest request) {
        Shop shop = AdminAuth.shop(shops, request);
        String id = request.pathParameter("id");
        Coupon coupon = email.current(shop.id()).coupons().get(id);
        if (coupon == null) throw ApiException.notFound("no coupon " + id);
        ObjectNode body = summary(shop.id(), coupon);
        body.set(ConfigKind.COUPONS.envelope(), email.store().documents(shop.id()).coupons().get(id));
        return HttpResponse.json(200, body);
    }

    /** Checks the document (every problem named by its field), saves it without its codes, and adds the codes to the pool. */
    HttpResponse put(HttpRequest request) {
        Shop shop = AdminAuth.shop(shops, request);
        String id = request.pathParameter("id");
        JsonNode doc = AdminDocuments.document(request, MAX_BYTES, ConfigKind.COUPONS);
        Coupon coupon;
        try {
            coupon = Coupon.parse(id, doc);
        } catch (Coupon.Invalid invalid) {
            throw ApiException.invalid("coupon " + id + " is not valid", invalid.problems());
        }
        String missing = PlatformCodes.missingAccess(shop, coupon);
        if (missing != null) throw ApiException.invalid("coupon " + id + " is not valid", List.of("source: " + missing));
        ShopEmail.Snapshot snapshot = email.current(shop.id());
        if (!snapshot.coupons().containsKey(id) && snapshot.coupons().size() >= MAX_COUPONS) {
            throw ApiException.badRequest("a shop can have at most " + MAX_COUPONS + " coupons");
        }
        if (!email.store().putCoupon(shop.id(), id, ConfigKind.COUPONS.normal(doc), snapshot.version())) {
            throw ApiException.conflict("the shop's email settings changed while this request was checked; send it again");
        }
        int added = codes.add(shop.id(), id, coupon.codes());
        ObjectNode body = summary(shop.id(), coupon).put("saved", true).put("added", added).put("alreadyKnown", coupon.codes().size() - added);
        return HttpResponse.json(200, body);
    }

    /** Deletes the document: sends that name it fail ({@code unknown_coupon}); codes already given still redeem and credit. */
    HttpResponse delete(HttpRequest request) {
        Shop shop = AdminAuth.shop(shops, request);
        String id = request.pathParameter("id");
        ShopEmail.Snapshot snapshot = email.current(shop.id());
        if (!snapshot.coupons().containsKey(id)) return HttpResponse.json(200, Json.object().put("id", id).put("deleted", false));
        if (!email.store().deleteCoupon(shop.id(), id, snapshot.version())) {
            throw ApiException.conflict("the shop's email settings changed while this request was checked; send it again");
        }
        return HttpResponse.json(200, Json.object().put("id", id).put("deleted", true));
    }

    /** One code: whom it was given to, by which message, and the order that redeemed it (a customer's "my code does not work"). */
    HttpResponse code(HttpRequest request) {
        Shop shop = AdminAuth.shop(shops, request);
        String id = request.pathParameter("id");
        String code = request.pathParameter("code");
        CouponCodes.Given given = codes.find(shop.id(), code).filter(g -> g.couponId().equals(id))
                .orElseThrow(() -> ApiException.notFound("coupon " + id + " gave no code " + code));
        ObjectNode body = Json.object().put("coupon", id).put("code", given.code()).put("contactId", given.contactId())
                .put("messageId", given.giver().messageId()).put("givenAt", String.valueOf(given.at()))
                .put("redeemed", given.redeemedBy() != null).put("redeemedBy", given.redeemedBy())
                .put("redeemedAt", given.redeemedAt() == null ? null : given.redeemedAt().toString());
        Coupon coupon = email.current(shop.id()).coupons().get(id);
        if (coupon != null && given.at() != null) body.put("expiresAt", coupon.expiresAt(given.at()).toString());
        return HttpResponse.json(200, body);
    }

    /** A coupon with how many codes its pool has left, and whether that is below its low-pool warning (none for codes made per person). */
    private ObjectNode summary(String shopId, Coupon coupon) {
        if (!Coupon.POOL.equals(coupon.source())) {
            return Json.object().put("id", coupon.id()).put("name", coupon.name()).put("source", coupon.source()).putNull("remaining").put("low", false);
        }
        long remaining = codes.remaining(shopId, coupon.id());
        ObjectNode row = Json.object().put("id", coupon.id()).put("name", coupon.name()).put("source", coupon.source()).put("remaining", remaining)
                .put("low", remaining < coupon.lowPoolWarning());
        if (remaining < coupon.lowPoolWarning()) {
            row.put("warning", remaining + " codes left, below the coupon's warning of " + coupon.lowPoolWarning() + ": upload more (PUT with codes)");
        }
        return row;
    }
}
