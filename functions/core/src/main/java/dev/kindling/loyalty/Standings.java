package dev.kindling.loyalty;

import dev.kindling.contact.Contact;
import java.util.Optional;

/** Where a person stands in the shop's loyalty programme now; empty when the shop has none. */
public interface Standings {
    Optional<LoyaltyProgramme.Standing> of(String shopId, Contact contact);

    Standings NONE = (shopId, contact) -> Optional.empty();
}
