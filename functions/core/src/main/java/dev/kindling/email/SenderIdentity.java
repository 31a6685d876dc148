package dev.kindling.email;

import java.util.Locale;

/**
 * Who the stack sends email as: the deployment's From address and the SES identity, a verified
 * domain, that the sending functions' IAM policy names. SES lets a verified domain send from any
 * address on it or on its subdomains; a From anywhere else is refused by IAM on every send, so a
 * shop's settings may name only an address this identity covers.
 *
 * @param defaultFrom the From address when a shop's settings name none
 * @param domain      the verified SES domain identity
 */
public record SenderIdentity(String defaultFrom, String domain) {
    public SenderIdentity {
        domain = domain.toLowerCase(Locale.ROOT);
    }

    /** Whether SES will send from this address under this identity: its domain is the identity's or a subdomain of it. */
    public boolean covers(String address) {
        int at = address.lastIndexOf('@');
        if (at < 0) return false;
        String host = address.substring(at + 1).toLowerCase(Locale.ROOT);
        return host.equals(domain) || host.endsWith("." + domain);
    }

    /** The problem with a From address a shop wants to save, or null when it can be sent from. */
    public String problem(String address) {
        if (address == null || covers(address)) return null;
        return "fromAddress: " + address + " is not on " + domain + ", the SES identity this stack sends from (use an address at "
                + domain + " or a subdomain of it)";
    }

    /** The From of a shop's email: its own address when the identity covers it (settings saved before a check are not trusted), else the default. */
    public String fromFor(EmailSettings settings) {
        return settings.fromAddress() != null && covers(settings.fromAddress()) ? settings.fromAddress() : defaultFrom;
    }
}
