package dev.kindling.sms;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonenumber;
import java.util.Locale;
import java.util.Optional;

/**
 * Phone numbers as SMS needs them: E.164 ({@code +14155550123}), the only form End User Messaging takes and the one
 * key a number is known by here (consent, opt-outs, inbound texts). Parsing and validity are libphonenumber's (the
 * numbering plans of every country); a number written without its country code is read in the country given.
 */
public final class Phones {
    private static final PhoneNumberUtil UTIL = PhoneNumberUtil.getInstance();
    /** Longer than any phone number written with spaces and punctuation; a longer text is not parsed at all. */
    private static final int MAX_CHARS = 40;

    private Phones() {}

    /**
     * The number in E.164, or empty when it is not a valid number (too short, an unassigned range, letters).
     *
     * @param country ISO 3166 two-letter code the number is read in when it has no {@code +} country code; null: it must have one
     */
    public static Optional<String> e164(String raw, String country) {
        if (raw == null || raw.isBlank() || raw.length() > MAX_CHARS) return Optional.empty();
        try {
            Phonenumber.PhoneNumber number = UTIL.parse(raw.strip(), country == null ? "ZZ" : country.toUpperCase(Locale.ROOT));
            if (!UTIL.isValidNumber(number)) return Optional.empty();
            return Optional.of(UTIL.format(number, PhoneNumberUtil.PhoneNumberFormat.E164));
        } catch (NumberParseException notANumber) {
            return Optional.empty();
        }
    }

    /** The number's country (ISO 3166 two letters), for pricing and quiet hours' zone; null when unknown. */
    public static String country(String e164) {
        try {
            String region = UTIL.getRegionCodeForNumber(UTIL.parse(e164, "ZZ"));
            return region == null || region.equals("ZZ") ? null : region;
        } catch (NumberParseException notANumber) {
            return null;
        }
    }

    /** The number with all but its last four digits hidden, for logs and pages that show it to someone else. */
    public static String masked(String e164) {
        if (e164 == null || e164.length() <= 4) return "****";
        return "*".repeat(e164.length() - 4) + e164.substring(e164.length() - 4);
    }
}
