package dev.kindling.privacy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kindling.contact.Consent;
import dev.kindling.contact.Contact;
import dev.kindling.contact.ContactStore;
import dev.kindling.contact.Identity;
import dev.kindling.event.ConsentChange;
import dev.kindling.send.EmailSender;
import dev.kindling.send.SmsSender;
import dev.kindling.journey.JourneyLauncher;
import dev.kindling.json.Json;
import dev.kindling.shop.Signatures;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;

/**
 * GDPR and CCPA requests for one person, from the admin API or Shopify's privacy webhooks: an export
 * of everything held about them, and an erasure of it. The erasure runs in this order:
 * <ol>
 * <li>find every item (the profile, the profiles merged into it, identities, memberships,
 *     suppression, delivery markers) and the journeys the person is in;</li>
 * <li>stop those journeys (StopExecution on AWS), so no step runs for a person who is gone;</li>
 * <li>erase the items; an address that had unsubscribed, bounced or complained stays suppressed as a
 *     salted hash, so the next webhook cannot re-add and mail it;</li>
 * <li>remove their export file, if one was made;</li>
 * <li>write the audit record: who asked, when, and the salted hash of the contact id (never the id).</li>
 * </ol>
 */
public final class PrivacyRequests {
    /** How an erased person's running journeys end (their executions' error and cause). */
    static final String ERASED = "Kindling.Erased";
    static final String ERASED_CAUSE = "the person's data was erased";
    private final ContactStore contacts;
    private final PersonalData data;
    private final JourneyLauncher journeys;
    private final AuditLog audit;
    private final Clock clock;

    private final EmailSender mail;
    private final SmsSender texts;
    private final FailedDeliveries failed;
    private final ExportFiles exports;

    public PrivacyRequests(ContactStore contacts, PersonalData data, JourneyLauncher journeys, AuditLog audit, EmailSender mail,
                           SmsSender texts, FailedDeliveries failed, ExportFiles exports, Clock clock) {
        this.texts = texts;
        this.contacts = contacts;
        this.exports = exports;
        this.failed = failed;
        this.mail = mail;
        this.data = data;
        this.journeys = journeys;
        this.audit = audit;
        this.clock = clock;
    }

    /** The person's contact id by a Shopify customer (id, then email), or by email alone. */
    public Optional<String> find(String shopId, String userId, String email) {
        List<Identity> identities = new ArrayList<>();
        if (userId != null) identities.add(Identity.user(userId));
        if (email != null && Identity.looksLikeEmail(email)) identities.add(Identity.email(email));
        if (identities.isEmpty()) return Optional.empty();
        Map<Identity, String> owners = contacts.lookup(shopId, identities);
        for (Identity identity : identities) if (owners.containsKey(identity)) return Optional.of(owners.get(identity));
        return Optional.empty();
    }

    /** An export handed out: the link to its file, and its size. */
    public record Export(String contactId, ExportFiles.Link link, int bytes) {}

    /**
     * Everything held about the contact, one JSON document, stored as the person's export file; the link to it, or
     * empty when there is no such contact. Audited as handed out.
     */
    public Optional<Export> export(String shopId, String contactId, String requestedBy) {
        return data.find(shopId, contactId).map(h -> {
            Instant now = clock.instant();
            ObjectNode out = Json.object().put("contactId", h.contactId()).put("exportedAt", now.toString())
                    .put("doNotSell", contacts.current(shopId, h.contactId()).map(Contact::doNotSell).orElse(false));
            out.set("profiles", Json.MAPPER.valueToTree(h.profileIds()));
            out.set("items", h.items());
            out.set("journeyExecutions", Json.MAPPER.valueToTree(h.executions()));
            byte[] json = Json.write(out).getBytes(StandardCharsets.UTF_8);
            ExportFiles.Link link = exports.publish(shopId, h.contactId(), json, now);
            audit.record(shopId, "export", subject(shopId, h.contactId()), requestedBy, now);
            return new Export(h.contactId(), link, json.length);
        });
    }

    /** Erases the contact everywhere; the counts by item type, or empty when there is no such contact. */
    public Optional<Map<String, Integer>> erase(String shopId, String contactId, String requestedBy) {
        Optional<PersonalData.Holdings> found = data.find(shopId, contactId);
        if (found.isEmpty()) return Optional.empty();
        PersonalData.Holdings holdings = found.get();
        for (PersonalData.Execution execution : holdings.executions()) journeys.stop(execution.journey(), execution.name(), ERASED, ERASED_CAUSE);
        Optional<Contact> person = contacts.current(shopId, holdings.contactId());
        boolean keepSuppressed = person.map(PrivacyRequests::mustStaySuppressed).orElse(false) || holdings.items().has("suppression");
        // off the mail provider's own suppression list first, so a failure there is retried with the erasure
        person.map(Contact::email).ifPresent(mail::forget);
        holdings.numbers().forEach(texts::forget);
        Map<String, Integer> erased = new TreeMap<>(data.erase(shopId, holdings, keepSuppressed));
        List<String> naming = new ArrayList<>(holdings.profileIds());
        person.map(Contact::email).ifPresent(naming::add);
        exports.forget(shopId, holdings.contactId()); // an export is kept under the profile it was made for, which the merged ones went into
        int purged = failed.purge(naming);
        if (purged > 0) erased.put("failedDeliveries", purged);
        audit.record(shopId, "erase", subject(shopId, holdings.contactId()), requestedBy, clock.instant());
        return Optional.of(erased);
    }

    /**
     * Erases the contact if they are still inactive past {@code cutoff} (they may have come back since the
     * request was made); the counts by item type, or empty when they are gone or active again.
     */
    public Optional<Map<String, Integer>> eraseIfInactive(String shopId, String contactId, Instant cutoff, String requestedBy) {
        return contacts.current(shopId, contactId).filter(c -> Retention.inactive(c, cutoff))
                .flatMap(c -> erase(shopId, c.contactId(), requestedBy));
    }

    /**
     * Erases the shop's items, each journey execution found among them stopped before its items go, until done or
     * {@code stop} says so (the function's time is running out); a call that stops leaves a cursor, and the next goes
     * on from it. Once the items are gone, the shop's failed deliveries are purged and the erasure audited.
     */
    public PersonalData.ShopErasure eraseShop(String shopId, String requestedBy, BooleanSupplier stop) {
        PersonalData.ShopErasure pass = data.eraseShop(shopId, stop, execution -> journeys.stop(execution.journey(), execution.name(), ERASED, ERASED_CAUSE));
        if (!pass.done()) return pass;
        // every failed delivery of the shop's: the bus events' detail names it (written compact or with a space)
        int purged = failed.purge(List.of("\"shopId\":\"" + shopId + "\"", "\"shopId\": \"" + shopId + "\""));
        audit.record(shopId, "erase-shop", shopId, requestedBy, clock.instant());
        return new PersonalData.ShopErasure(pass.erased() + purged, true);
    }

    /** A person's request for their data (Shopify's customers/data_request): audited; the shop hands the export out from the admin API. */
    public boolean dataRequested(String shopId, String contactId, String requestedBy) {
        if (contacts.current(shopId, contactId).isEmpty()) return false;
        audit.record(shopId, "data-request", subject(shopId, contactId), requestedBy, clock.instant());
        return true;
    }

    private static boolean mustStaySuppressed(Contact contact) {
        Consent marketing = contact.consent().get(ConsentChange.EMAIL_MARKETING);
        return marketing != null && marketing.state() == ConsentChange.State.withdrawn;
    }

    /** How the audit names a person: a salted hash of the contact id, so the record itself holds no id of theirs. */
    static String subject(String shopId, String contactId) {
        return "contact-sha256:" + Signatures.sha256Hex("audit:" + shopId + ":" + contactId).substring(0, 32);
    }
}
