package dev.kindling.handler.admin;

import dev.kindling.admin.AdminApi;
import dev.kindling.contact.ContactStore;
import dev.kindling.handler.AwsWiring;
import dev.kindling.handler.http.HttpApiHandler;
import dev.kindling.http.Router;
import dev.kindling.shop.ShopDirectory;

/** AdminFunction: the admin API, each call authenticated by a shop's admin token. */
public final class AdminHandler extends HttpApiHandler {

    /** For Lambda. */
    public AdminHandler() {
        this(AwsWiring.get().shops, AwsWiring.get().contacts);
    }

    public AdminHandler(ShopDirectory shops, ContactStore contacts) {
        super(new Router(new AdminApi(shops, contacts).routes()));
    }
}
