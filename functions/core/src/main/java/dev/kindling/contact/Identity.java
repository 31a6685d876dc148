package dev.kindling.contact;

import dev.kindling.event.CanonicalEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** One way to recognise a person within a shop. */
public record Identity(Kind kind, String value) {
    public enum Kind {
        USER("user"), EMAIL("email"), ANONYMOUS("anon");

        final String prefix;

        Kind(String prefix) {
            this.prefix = prefix;
        }
    }

    public static Identity user(String userId) {
        return new Identity(Kind.USER, userId.strip());
    }

    public static Identity email(String email) {
        return new Identity(Kind.EMAIL, normaliseEmail(email));
    }

    public static Identity anonymous(String anonymousId) {
        return new Identity(Kind.ANONYMOUS, anonymousId.strip());
    }

    /** The identities an event names, strongest first: a user id, then an email, then an anonymous id. */
    public static List<Identity> namedBy(CanonicalEvent event) {
        List<Identity> identities = new ArrayList<>(3);
        if (event.userId() != null) identities.add(user(event.userId()));
        if (event.email() != null) identities.add(email(event.email()));
        if (event.anonymousId() != null) identities.add(anonymous(event.anonymousId()));
        return identities;
    }

    /** Identities an event has looked up but never claimed: alias's previousId may be either an anonymous id or a user id. */
    public static List<Identity> lookedUpBy(CanonicalEvent event) {
        if (event.previousId() == null) return List.of();
        return List.of(anonymous(event.previousId()), user(event.previousId()));
    }

    /** The key this identity is stored under, e.g. {@code email:ada@example.com}. */
    public String key() {
        return kind.prefix + ":" + value;
    }

    public static Identity fromKey(String key) {
        int colon = key.indexOf(':');
        String prefix = key.substring(0, colon);
        for (Kind kind : Kind.values()) {
            if (kind.prefix.equals(prefix)) return new Identity(kind, key.substring(colon + 1));
        }
        throw new IllegalArgumentException("not an identity key: " + key);
    }

    /** Case and surrounding space do not make another address; dots and plus tags may, so they stay. */
    public static String normaliseEmail(String email) {
        return email.strip().toLowerCase(Locale.ROOT);
    }

    public static boolean looksLikeEmail(String email) {
        if (email == null) return false;
        String e = email.strip();
        int at = e.indexOf('@');
        return at > 0 && at == e.lastIndexOf('@') && at < e.length() - 1 && e.indexOf('.', at) > at + 1
                && e.length() <= 254 && e.chars().noneMatch(Character::isWhitespace);
    }
}
