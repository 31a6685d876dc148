package dev.kindling.handler;

import dev.kindling.contact.Identity;
import dev.kindling.json.Json;
import java.util.List;
import org.crac.Context;
import org.crac.Core;
import org.crac.Resource;

/**
 * SnapStart priming: Lambda snapshots a function after its init (the template publishes versions
 * with SnapStart on) and restores that snapshot for each new environment. Before the checkpoint
 * this runs what every request runs (Jackson, the shop directory's SSM read, a DynamoDB read
 * through the contact store) so the classes are loaded and the code warm in the snapshot, not
 * on a customer's first request. Outside Lambda (no checkpoint) it does nothing.
 */
final class SnapStartPriming implements Resource {
    /** CRaC holds its resources weakly: this reference keeps the registration alive. */
    private static SnapStartPriming registered;

    private final Services services;

    private SnapStartPriming(Services services) {
        this.services = services;
    }

    static synchronized void register(Services services) {
        if (registered != null) return;
        registered = new SnapStartPriming(services);
        Core.getGlobalContext().register(registered);
    }

    @Override
    public void beforeCheckpoint(Context<? extends Resource> context) {
        Json.write(Json.MAPPER.valueToTree(List.of("priming")));
        // best effort: a function without access to a part (the privacy function reads no shops) still snapshots
        try {
            services.shops().ids();
        } catch (RuntimeException noAccess) {
            Log.warn("priming: shops not read", noAccess);
        }
        try {
            // an address no contact has: a read with no effect
            services.contacts().lookup("priming", List.of(Identity.email("priming@kindling.invalid")));
        } catch (RuntimeException noAccess) {
            Log.warn("priming: contacts not read", noAccess);
        }
    }

    @Override
    public void afterRestore(Context<? extends Resource> context) {
        // nothing: clients reconnect on their next call, and the shop directory refreshes by its clock
    }
}
