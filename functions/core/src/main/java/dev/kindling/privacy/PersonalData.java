package dev.kindling.privacy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Everything stored about one person, found by construction rather than by a list to keep in step:
 * every item in the person's own partitions (the profile and each profile merged into it), every
 * identity that points at them, their segment member items, their suppression entries and the
 * delivery markers of their events.
 */
public interface PersonalData {

    /**
     * What an export holds and an erasure removes, grouped by item type; empty when there is no such contact.
     *
     * @param numbers the phone numbers (E.164) the person was texted at
     */
    record Holdings(String contactId, List<String> profileIds, ObjectNode items, List<Execution> executions, List<String> numbers) {}

    /** A journey execution the person is (or was) in. */
    record Execution(String journey, String name) {}

    Optional<Holdings> find(String shopId, String contactId);

    /**
     * Removes everything {@link #find} finds. What must stay for the law stays without personal data: a
     * delivery marker keeps its dedupe key (so a redelivered webhook does not bring the person back), and
     * when {@code suppressAddress} the address stays suppressed as a salted hash only.
     *
     * @return the items removed (or stripped), by item type
     */
    Map<String, Integer> erase(String shopId, Holdings holdings, boolean suppressAddress);

    /**
     * Erases every item of the shop (Shopify's shop/redact, 48 hours after the app is uninstalled), each journey
     * execution found among them handed to {@code running} first (to be stopped), until done or {@code stop} answers
     * true; where it got is kept, so the next call goes on from there.
     */
    ShopErasure eraseShop(String shopId, BooleanSupplier stop, Consumer<Execution> running);

    /** How much a call of {@link #eraseShop} erased, and whether the shop is now gone. */
    record ShopErasure(int erased, boolean done) {}
}
