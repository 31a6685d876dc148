package dev.kindling.admin;

import dev.kindling.http.ApiException;
import dev.kindling.http.HttpRequest;
import dev.kindling.shop.Shop;
import dev.kindling.shop.ShopDirectory;

/** Every admin call carries {@code Authorization: Bearer <admin token>}; the token names one shop and the call sees only it. */
final class AdminAuth {
    private AdminAuth() {}

    static Shop shop(ShopDirectory shops, HttpRequest request) {
        return access(shops, request).shop();
    }

    static ShopDirectory.AdminAccess access(ShopDirectory shops, HttpRequest request) {
        String authorization = request.header("authorization");
        String token = authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)
                ? authorization.substring(7).strip() : null;
        return shops.byAdminToken(token).orElseThrow(() -> ApiException.unauthorized("a valid admin token is required: Authorization: Bearer <token>"));
    }
}
