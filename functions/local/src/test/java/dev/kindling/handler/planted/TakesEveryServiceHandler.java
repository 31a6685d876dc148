package dev.kindling.handler.planted;

import dev.kindling.handler.Services;

/** Planted for ModuleLayersTest: a handler given the whole locator instead of the parts it uses. */
public final class TakesEveryServiceHandler {
    private final Services services;

    public TakesEveryServiceHandler(Services services) {
        this.services = services;
    }

    @Override
    public String toString() {
        return services.toString();
    }
}
