package dev.kindling.admin;

import dev.kindling.http.ApiException;
import dev.kindling.http.HttpRequest;
import dev.kindling.http.HttpResponse;
import dev.kindling.http.Route;
import dev.kindling.privacy.AuditLog;
import dev.kindling.shop.Shop;
import dev.kindling.shop.ShopDirectory;
import dev.kindling.shop.Signatures;
import java.time.Clock;
import java.util.List;
import java.util.Set;

/**
 * What every admin route goes through, in this order: the token names a shop (401 otherwise); a change
 * needs a {@code write} token (403 for {@code read}); the route runs; a change that succeeded is written
 * to the shop's audit log (who: the token's id; what: method and path; when).
 */
public final class AdminAccessRules {
    /** POSTs that change nothing: previews, renders and dry runs, which read-only tokens may make. */
    private static final Set<String> READING_POSTS = Set.of("POST /admin/segments/preview", "POST /admin/templates/{id}/render",
            "POST /admin/journeys/{id}/simulate");

    /** Routes that write their own audit record (an erasure names the person only by a hash). */
    private static final Set<String> SELF_AUDITED = Set.of("DELETE /admin/contacts/{id}");

    private AdminAccessRules() {}

    /**
     * What a change was made to: its path, except that a path naming a person (a contact id, an address) is
     * given as a salted hash, so the audit log, which outlives an erasure, holds no personal data.
     */
    static String subject(String shopId, String routeKey, HttpRequest request) {
        boolean personal = routeKey.contains("/admin/contacts/") || routeKey.contains("{email}");
        if (!personal) return request.path();
        return routeKey + " sha256:" + Signatures.sha256Hex("audit:" + shopId + ":" + request.path()).substring(0, 32);
    }

    public static List<Route> guarded(List<Route> routes, ShopDirectory shops, AuditLog audit, Clock clock) {
        return routes.stream().map(route -> new Route(route.routeKey(), request -> {
            ShopDirectory.AdminAccess access = AdminAuth.access(shops, request);
            boolean change = changes(route.routeKey());
            if (change && access.role() != Shop.Role.write) {
                throw new ApiException(403, "forbidden", "this token may only read (role read); changes need a write token");
            }
            HttpResponse response = route.action().apply(request);
            if (change && response.status() < 300 && !SELF_AUDITED.contains(route.routeKey())) {
                audit.record(access.shop().id(), route.routeKey(), subject(access.shop().id(), route.routeKey(), request), who(access), clock.instant());
            }
            return response;
        })).toList();
    }

    static boolean changes(String routeKey) {
        return !routeKey.startsWith("GET ") && !READING_POSTS.contains(routeKey);
    }

    /** How the audit names a token: its id, never the token itself. */
    static String who(ShopDirectory.AdminAccess access) {
        return access.tokenId() == null ? "admin token (plain, from the shop's record)" : "admin token " + access.tokenId();
    }
}
