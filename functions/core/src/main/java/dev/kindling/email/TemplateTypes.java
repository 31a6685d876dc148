package dev.kindling.email;

import java.util.Collection;

/**
 * What a journey or campaign may name as its message: the type of the shop's template of each id (email, sms, layout,
 * partial), so a document that names a text template where an email goes, or the reverse, is refused when it is saved.
 */
@FunctionalInterface
public interface TemplateTypes {
    /** The type of the template of this id, or null when the shop has none. */
    String typeOf(String id);

    /** Stands for any type: a definition read again after it passed its checks when saved. */
    String ANY_TYPE = "*";

    /** Every id, of whatever type is asked for (see {@link #ANY_TYPE}). */
    TemplateTypes ANY = id -> ANY_TYPE;

    static TemplateTypes of(TemplateLibrary library) {
        return id -> library.get(id).map(EmailTemplate::typeOrEmail).orElse(null);
    }

    /** Only these ids, each an email template. */
    static TemplateTypes emails(Collection<String> ids) {
        return id -> ids.contains(id) ? EmailTemplate.EMAIL : null;
    }

    /** Why the template of this id cannot be sent as a message of type {@code wanted}, or null when it can; "no template" when there is none. */
    default String refusal(String id, String wanted) {
        String type = typeOf(id);
        if (type == null) return "no template " + id;
        if (type.equals(ANY_TYPE) || type.equals(wanted)) return null;
        return id + " is " + (type.equals(EmailTemplate.EMAIL) || type.equals(EmailTemplate.SMS) ? "an " : "a ") + type
                + " template, and this sends " + (wanted.equals(EmailTemplate.SMS) ? "a text (an sms template)" : "an email (an email template)");
    }
}
