package dev.kindling.contact;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kindling.json.Json;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * What we know about a person. The named fields are the ones later features read (names for
 * greetings, birthday and time zone for date-relative segments, locale for language); anything
 * else a source sends is kept in {@code custom}.
 */
public record Traits(
        String firstName,
        String lastName,
        String phone,
        String birthday,
        String timeZone,
        String locale,
        String country,
        ObjectNode custom) {

    public static final Traits EMPTY = new Traits(null, null, null, null, null, null, null, null);

    /** Segment's reserved trait names (and their common spellings) that map onto the named fields. */
    private static final Set<String> NAMED = Set.of(
            "firstName", "first_name", "lastName", "last_name", "name", "phone", "birthday", "timezone",
            "time_zone", "timeZone", "locale", "address", "email", "userId", "anonymousId", "id",
            // SMS consent a source states goes to the consent ledger, not the traits anyone could read as consent
            "sms_consent", "sms_marketing_consent");

    /** The traits after an event's traits are laid over these: what the event says wins, what it omits stays. */
    public Traits with(JsonNode traits) {
        if (traits == null || !traits.isObject() || traits.isEmpty()) return this;
        String first = firstOf(traits, "firstName", "first_name");
        String last = firstOf(traits, "lastName", "last_name");
        String fullName = Json.text(traits, "name");
        if (first == null && last == null && fullName != null) {
            int space = fullName.indexOf(' ');
            first = space < 0 ? fullName : fullName.substring(0, space);
            last = space < 0 ? null : fullName.substring(space + 1).strip();
        }
        String country = null;
        JsonNode address = traits.get("address");
        if (address != null && address.isObject()) {
            country = firstOf(address, "country_code", "countryCode", "country");
        }
        ObjectNode mergedCustom = custom == null ? Json.object() : custom.deepCopy();
        for (Iterator<Map.Entry<String, JsonNode>> it = traits.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            if (!NAMED.contains(field.getKey())) mergedCustom.set(field.getKey(), field.getValue());
        }
        return new Traits(
                or(first, firstName),
                or(last, lastName),
                or(Json.text(traits, "phone"), phone),
                or(Json.text(traits, "birthday"), birthday),
                or(firstOf(traits, "timezone", "time_zone", "timeZone"), timeZone),
                or(Json.text(traits, "locale"), locale),
                or(country, this.country),
                mergedCustom.isEmpty() ? null : mergedCustom);
    }

    /**
     * As {@link #with}, except that names and phone only fill gaps: what an unauthenticated source
     * (tracking, whose write key is public) may do to a profile. A name a signed shop webhook or an
     * earlier call set is not replaced by whoever holds the write key.
     */
    public Traits withNamesKept(JsonNode traits) {
        Traits next = with(traits);
        return new Traits(or(firstName, next.firstName), or(lastName, next.lastName), or(phone, next.phone),
                next.birthday, next.timeZone, next.locale, next.country, next.custom);
    }

    /** These traits, with gaps filled from {@code other}: used when two profiles of one person merge. */
    public Traits fillFrom(Traits other) {
        ObjectNode mergedCustom = null;
        if (custom != null || other.custom != null) {
            mergedCustom = other.custom == null ? Json.object() : other.custom.deepCopy();
            if (custom != null) mergedCustom.setAll(custom);
        }
        return new Traits(
                or(firstName, other.firstName), or(lastName, other.lastName), or(phone, other.phone),
                or(birthday, other.birthday), or(timeZone, other.timeZone), or(locale, other.locale),
                or(country, other.country), mergedCustom);
    }

    private static String firstOf(JsonNode node, String... names) {
        for (String name : names) {
            String value = Json.text(node, name);
            if (value != null) return value;
        }
        return null;
    }

    private static String or(String preferred, String fallback) {
        return preferred != null ? preferred : fallback;
    }

    /** The person's time zone, or {@code fallback} when they have none or it is not a zone Java knows. */
    public ZoneId zoneOr(ZoneId fallback) {
        if (timeZone == null) return fallback;
        try {
            return ZoneId.of(timeZone);
        } catch (DateTimeException unknown) {
            return fallback;
        }
    }
}
