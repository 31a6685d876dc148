package dev.kindling.local;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import dev.kindling.contact.ContactStore;
import dev.kindling.event.EventPublisher;
import dev.kindling.handler.admin.AdminHandler;
import dev.kindling.handler.ingest.IngestHandler;
import dev.kindling.shop.ShopDirectory;
import java.time.Clock;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The template's handlers, built with local adapters through the constructor each handler keeps
 * for tests. A handler the template names and this table lacks stops the runtime at start.
 */
final class LocalFunctions {
    private LocalFunctions() {}

    static Map<String, Supplier<RequestStreamHandler>> constructors(ShopDirectory shops, ContactStore contacts,
                                                                   EventPublisher bus, Clock clock) {
        return Map.of(
                IngestHandler.class.getName(), () -> new IngestHandler(shops, contacts, bus, clock),
                AdminHandler.class.getName(), () -> new AdminHandler(shops, contacts));
    }
}
