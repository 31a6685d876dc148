package dev.kindling.send;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kindling.email.EmailSettings;
import dev.kindling.event.Trust;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Which URLs from data may reach a message. Templates are trusted as the shop wrote them; the data inside them is
 * not: a checkout, product, image or order-status URL that came in an event or the catalog reaches an email only as
 * https, and, unless a signed source (the platform itself: a Shopify checkout's recovery link) gave it, only on the
 * shop's own domains: its website's host (brand {@code websiteUrl}) and the {@code linkDomains} of its email
 * settings, each with its subdomains. Anything else is dropped, and the template's fallback shows instead, so the
 * public write key cannot put a phishing link behind the shop's own "Return to your cart" button.
 */
public final class LinkPolicy {
    /** A value that is a link: a scheme and "//", a protocol-relative "//host", or a scheme that runs or embeds code. */
    private static final Pattern LINK = Pattern.compile("^(//|[a-z][a-z0-9+.-]*://|(javascript|data|vbscript|file):)");

    private final Set<String> domains;

    private LinkPolicy(Set<String> domains) {
        this.domains = Set.copyOf(domains);
    }

    public static LinkPolicy of(EmailSettings settings) {
        Set<String> domains = new LinkedHashSet<>();
        if (settings.brand() != null) {
            String site = host(settings.brand().websiteUrl());
            if (site != null) domains.add(site.startsWith("www.") ? site.substring(4) : site);
        }
        if (settings.linkDomains() != null) settings.linkDomains().forEach(d -> domains.add(d.strip().toLowerCase(Locale.ROOT)));
        return new LinkPolicy(domains);
    }

    /** Whether a text is a link at all (so it is judged), rather than words that happen to hold a colon. */
    static boolean isLink(String text) {
        return text != null && LINK.matcher(text.strip().toLowerCase(Locale.ROOT)).find();
    }

    /** The URL when data from a source of this trust may put it in a message; null when it may not. */
    public String allowed(String url, Trust trust) {
        if (url == null) return null;
        String host = host(url);
        if (host == null || !url.strip().toLowerCase(Locale.ROOT).startsWith("https://")) return null;
        if (trust == Trust.AUTHORITY) return url;
        for (String domain : domains) if (host.equals(domain) || host.endsWith("." + domain)) return url;
        return null;
    }

    /** A copy of data with every link this trust may not place removed (objects and arrays, all the way down). */
    public JsonNode cleaned(JsonNode data, Trust trust) {
        if (data == null) return null;
        JsonNode copy = data.deepCopy();
        clean(copy, trust);
        return copy;
    }

    /** A template's view of a product or line (url, image …) with the links this trust may not place removed. */
    public Map<String, Object> cleaned(Map<String, Object> fields, Trust trust) {
        fields.replaceAll((name, value) -> value instanceof String text && isLink(text) ? allowed(text, trust) : value);
        return fields;
    }

    private void clean(JsonNode node, Trust trust) {
        if (node instanceof ObjectNode object) {
            List<String> names = new ArrayList<>();
            object.fieldNames().forEachRemaining(names::add);
            for (String name : names) {
                JsonNode value = object.get(name);
                if (refused(value, trust)) object.remove(name);
                else clean(value, trust);
            }
        } else if (node instanceof ArrayNode array) {
            for (int i = array.size() - 1; i >= 0; i--) {
                JsonNode value = array.get(i);
                if (refused(value, trust)) array.remove(i);
                else clean(value, trust);
            }
        }
    }

    /** A value that is a link this trust may not place. */
    private boolean refused(JsonNode value, Trust trust) {
        return value.isTextual() && isLink(value.asText()) && allowed(value.asText(), trust) == null;
    }

    private static String host(String url) {
        if (url == null) return null;
        try {
            String host = new URI(url.strip()).getHost();
            return host == null ? null : host.toLowerCase(Locale.ROOT);
        } catch (URISyntaxException notAUrl) {
            return null;
        }
    }
}
