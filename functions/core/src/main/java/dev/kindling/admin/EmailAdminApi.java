package dev.kindling.admin;

import dev.kindling.config.ConfigKind;
import dev.kindling.engagement.DeliverabilityGuard;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kindling.contact.Contact;
import dev.kindling.contact.ContactStore;
import dev.kindling.contact.Identity;
import dev.kindling.email.EmailSettings;
import dev.kindling.email.EmailStore;
import dev.kindling.email.EmailTemplate;
import dev.kindling.email.SampleData;
import dev.kindling.email.SenderIdentity;
import dev.kindling.email.ShopEmail;
import dev.kindling.email.TemplateError;
import dev.kindling.email.TemplateLibrary;
import dev.kindling.engagement.EmailStats;
import dev.kindling.http.ApiException;
import dev.kindling.http.HttpRequest;
import dev.kindling.http.HttpResponse;
import dev.kindling.http.Route;
import dev.kindling.json.Json;
import dev.kindling.send.EmailSending;
import dev.kindling.send.EmailVariables;
import dev.kindling.send.MessageStore;
import dev.kindling.send.Suppressions;
import dev.kindling.shop.Shop;
import dev.kindling.shop.ShopDirectory;
import dev.kindling.sms.SmsText;
import java.time.LocalDate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Templates and email settings of a shop, with previews; a contact's message log and consent
 * ledger; the suppression list; the daily email counters. Templates and settings are JSON, or
 * YAML when sent with a YAML content type, and are checked before they are saved.
 */
public final class EmailAdminApi {
    static final int MAX_TEMPLATE_BYTES = 256 * 1024;
    static final int MAX_TEMPLATES = 200;

    private final ShopDirectory shops;
    private final ShopEmail email;
    private final SenderIdentity sender;
    private final ContactStore contacts;
    private final EmailVariables variables;
    private final MessageStore messages;
    private final Suppressions suppressions;
    private final EmailStats stats;
    private final Clock clock;

    public EmailAdminApi(ShopDirectory shops, ShopEmail email, SenderIdentity sender, ContactStore contacts, EmailVariables variables, MessageStore messages,
                         Suppressions suppressions, EmailStats stats, Clock clock) {
        this.shops = shops;
        this.email = email;
        this.sender = sender;
        this.contacts = contacts;
        this.variables = variables;
        this.messages = messages;
        this.suppressions = suppressions;
        this.stats = stats;
        this.clock = clock;
    }

    public List<Route> routes() {
        return List.of(
                new Route("GET /admin/templates", this::listTemplates),
                new Route("GET /admin/templates/{id}", this::getTemplate),
                new Route("PUT /admin/templates/{id}", this::putTemplate),
                new Route("DELETE /admin/templates/{id}", this::deleteTemplate),
                new Route("POST /admin/templates/{id}/render", this::render),
                new Route("GET /admin/email/settings", this::getSettings),
                new Route("PUT /admin/email/settings", this::putSettings),
                new Route("GET /admin/email/stats", this::stats),
                new Route("GET /admin/email/deliverability", this::deliverability),
                new Route("POST /admin/email/deliverability/resume", this::resume),
                new Route("GET /admin/suppressions", this::listSuppressions),
                new Route("DELETE /admin/suppressions/{email}", this::removeSuppression),
                new Route("GET /admin/contacts/{id}/messages", this::messages),
                new Route("GET /admin/contacts/{id}/consent", this::consent));
    }

    /** The shop's bounce and complaint rates against the guard's thresholds, and the pause with its reason if there is one. */
    HttpResponse deliverability(HttpRequest request) {
        Shop shop = AdminAuth.shop(shops, request);
        return HttpResponse.json(200, guard().state(shop.id()));
    }

    /** Lifts the guard's pause: the shop says it fixed what made the rates rise. */
    HttpResponse resume(HttpRequest request) {
        Shop shop = AdminAuth.shop(shops, request);
        if (!guard().resume(shop.id(), "admin API")) throw changedMeanwhile();
        return HttpResponse.json(200, guard().state(shop.id()));
    }

    private DeliverabilityGuard guard() {
        return new DeliverabilityGuard(store(), stats, clock);
    }

    HttpResponse listTemplates(HttpRequest request) {
        Shop shop = AdminAuth.shop(shops, request);
        EmailStore.Documents docs = store().documents(shop.id());
        ArrayNode list = Json.MAPPER.createArrayNode();
        TemplateLibrary.of(docs.templates()).all().forEach((id, t) -> list.addObject().put("id", id).put("type", t.typeOrEmail())
                .put("name", t.name()).put("custom", docs.templates().containsKey(id)).put("default", TemplateLibrary.isDefault(id)));
        ObjectNode body = Json.object().put("version", docs.version());
        body.set("templates", list);
        return HttpResponse.json(200, body);
    }

    HttpResponse getTemplate(HttpRequest request) {
        Shop shop = AdminAuth.shop(shops, request);
        String id = id(request);
        EmailStore.Documents docs = store().documents(shop.id());
        EmailTemplate t = TemplateLibrary.of(docs.templates()).get(id).orElseThrow(() -> ApiException.notFound("no template " + id));
        ObjectNode body = Json.object().put("id", id).put("custom", docs.templates().containsKey(id)).put("version", docs.version());
        body.set(ConfigKind.TEMPLATES.envelope(), Json.MAPPER.valueToTree(t));
        return HttpResponse.json(200, body);
    }

    HttpResponse putTemplate(HttpRequest request) {
        Shop shop = AdminAuth.shop(shops, request);
        String id = id(request);
        JsonNode doc = AdminDocuments.document(request, MAX_TEMPLATE_BYTES, ConfigKind.TEMPLATES);
        EmailTemplate template;
        try {
            template = EmailTemplate.of(doc);
        } catch (IllegalArgumentException unreadable) {
            throw ApiException.invalid("the template is not valid", List.of(unreadable.getMessage().lines().findFirst().orElse("unreadable")));
        }
        EmailStore.Documents docs = store().documents(shop.id());
        if (!docs.templates().containsKey(id) && docs.templates().size() >= MAX_TEMPLATES) {
            throw ApiException.invalid("too many templates", List.of("a shop keeps at most " + MAX_TEMPLATES + " templates"));
        }
        TemplateLibrary library = TemplateLibrary.of(docs.templates()).with(id, template);
        EmailSettings settings = email.current(shop.id()).settings();
        List<String> problems = library.saveProblems(id, settings, SampleData.variables(shop.name(), settings));
        if (!problems.isEmpty()) throw ApiException.invalid("template " + id + " is not valid", problems);
        if (!store().putTemplate(shop.id(), id, Json.MAPPER.valueToTree(template), docs.version())) throw changedMeanwhile();
        ObjectNode saved = Json.object().put("id", id).put("saved", true);
        // saved, but the author should know: each output printed without HTML escaping
        saved.set("warnings", Json.MAPPER.valueToTree(library.warnings(id)));
        return HttpResponse.json(200, saved);
    }

    HttpResponse deleteTemplate(HttpRequest request) {
        Shop shop = AdminAuth.shop(shops, request);
        String id = id(request);
        EmailStore.Documents docs = store().documents(shop.id());
        if (!docs.templates().containsKey(id)) throw ApiException.notFound("no custom template " + id);
        Map<String, JsonNode> rest = new HashMap<>(docs.templates());
        rest.remove(id);
        TemplateLibrary after = TemplateLibrary.of(rest);
        if (after.get(id).isEmpty()) {
            for (var e : after.all().entrySet()) {
                EmailTemplate t = e.getValue();
                boolean uses = id.equals(t.layoutId()) || t.parts().stream().anyMatch(p -> p.source().matches("(?s).*include\\s+['\"]" + id + "['\"].*"));
                if (uses) throw ApiException.conflict("template " + e.getKey() + " uses " + id);
            }
        }
        if (!store().deleteTemplate(shop.id(), id, docs.version())) throw changedMeanwhile();
        return HttpResponse.json(200, Json.object().put("id", id).put("deleted", true).put("defaultRestored", after.get(id).isPresent()));
    }

    /**
     * Renders a template (saved, or the unsaved one in {@code template}) for a contact
     * ({@code contactId}, with an optional {@code context}) or with sample data, with the template check's problems. Nothing is sent.
     */
    HttpResponse render(HttpRequest request) {
        Shop shop = AdminAuth.shop(shops, request);
        String id = id(request);
        JsonNode body = request.body().length == 0 ? Json.object() : AdminDocuments.read(request, MAX_TEMPLATE_BYTES);
        ShopEmail.Snapshot snapshot = email.current(shop.id());
        TemplateLibrary library = snapshot.templates();
        if (body.path("template").isObject()) library = library.with(id, EmailTemplate.of(body.path("template")));
        EmailTemplate template = library.get(id).orElseThrow(() -> ApiException.notFound("no template " + id));
        // the check always runs on sample data (as a save does), whoever the preview is rendered for
        Map<String, Object> sample = SampleData.variables(shop.name(), snapshot.settings()), vars = sample;
        String contactId = Json.text(body, "contactId");
        if (contactId != null) {
            if (!contactId.matches("[A-Za-z0-9-]{1,64}")) throw ApiException.badRequest("contactId is malformed");
            Contact contact = contacts.current(shop.id(), contactId).orElseThrow(() -> ApiException.notFound("no contact " + contactId));
            ObjectNode context = body.path("context").isObject() ? (ObjectNode) body.path("context") : Json.object();
            vars = variables.build(shop, snapshot.settings(), template, contact, context,
                    Map.of("unsubscribe", "#unsubscribe", "preferences", "#preferences", "view_in_browser", "#view"), "preview");
        }
        try {
            if (EmailTemplate.SMS.equals(template.typeOrEmail())) return HttpResponse.json(200, renderedText(shop, snapshot.settings(), library, id, vars, sample));
            TemplateLibrary.Rendered r = library.render(id, vars);
            ObjectNode rendered = Json.object().put("subject", r.subject()).put("preheader", r.preheader()).put("html", r.html()).put("text", r.text());
            // what saving it would refuse, so an editor shows the problems beside the preview
            rendered.set("problems", Json.MAPPER.valueToTree(library.saveProblems(id, snapshot.settings(), sample)));
            return HttpResponse.json(200, rendered);
        } catch (TemplateError e) {
            ObjectNode error = Json.object().put("error", "render_error").put("message", e.getMessage())
                    .put("template", e.templateId()).put("part", e.part()).put("line", e.line());
            return HttpResponse.json(422, error);
        }
    }

    /**
     * A text as the person would get it as their first marketing text (the shop's name first, the STOP line last: the
     * longest it gets), with its encoding and segments beside the shop's limit, and what saving it would refuse.
     */
    private static ObjectNode renderedText(Shop shop, EmailSettings settings, TemplateLibrary library, String id, Map<String, Object> vars,
                                           Map<String, Object> sample) {
        SmsText text = SmsText.of(EmailSending.composedText(EmailSending.senderName(shop, settings), library.renderText(id, vars), true, true));
        ObjectNode rendered = Json.object().put("type", EmailTemplate.SMS).put("body", text.body()).put("encoding", text.encoding().name())
                .put("characters", text.characters()).put("segments", text.segments()).put("maxSegments", settings.sms().maxSegments());
        rendered.set("problems", Json.MAPPER.valueToTree(library.saveProblems(id, settings, sample)));
        return rendered;
    }

    HttpResponse getSettings(HttpRequest request) {
        Shop shop = AdminAuth.shop(shops, request);
        ShopEmail.Snapshot snapshot = email.current(shop.id());
        ObjectNode body = Json.object().put("version", snapshot.version());
        body.set(ConfigKind.SETTINGS.envelope(), Json.MAPPER.valueToTree(snapshot.settings()));
        // read-only here: the shop's legal decision sits in its record (SSM parameter or shops file), not in the marketer's settings
        body.putObject("retention").put("purgeInactiveMonths", shop.purgeInactiveMonths());
        return HttpResponse.json(200, body);
    }

    HttpResponse putSettings(HttpRequest request) {
        Shop shop = AdminAuth.shop(shops, request);
        JsonNode doc = AdminDocuments.document(request, MAX_TEMPLATE_BYTES, ConfigKind.SETTINGS);
        List<String> problems = new ArrayList<>();
        EmailSettings settings = EmailSettings.parse(doc, problems);
        if (problems.stream().noneMatch(p -> p.startsWith("fromAddress"))) {
            String offDomain = sender.problem(settings.fromAddress());
            if (offDomain != null) problems.add(offDomain);
        }
        if (settings.loyalty() != null) {
            var coupons = email.current(shop.id()).coupons();
            for (String named : settings.loyalty().coupons()) {
                if (!coupons.containsKey(named)) problems.add("loyalty: the shop has no coupon " + named + " (PUT /admin/coupons/" + named + " first)");
            }
        }
        if (!problems.isEmpty()) throw ApiException.invalid("the email settings are not valid", problems);
        long version = store().version(shop.id());
        if (!store().putSettings(shop.id(), doc, version)) throw changedMeanwhile();
        return HttpResponse.json(200, Json.object().put("saved", true));
    }

    HttpResponse stats(HttpRequest request) {
        Shop shop = AdminAuth.shop(shops, request);
        DayRange days = DayRange.of(request, clock, 7);
        LocalDate from = days.from();
        LocalDate to = days.to();
        ArrayNode rows = Json.MAPPER.createArrayNode();
        for (EmailStats.Row row : stats.read(shop.id(), from, to)) {
            ObjectNode r = rows.addObject().put("day", row.day().toString()).put("source", row.key().source())
                    .put("step", row.key().step()).put("variant", row.key().variant());
            r.set("counts", Json.MAPPER.valueToTree(row.counts()));
        }
        ObjectNode body = Json.object().put("from", from.toString()).put("to", to.toString());
        body.set("rows", rows);
        return HttpResponse.json(200, body);
    }

    HttpResponse listSuppressions(HttpRequest request) {
        Shop shop = AdminAuth.shop(shops, request);
        ObjectNode body = Json.object();
        body.set("suppressions", Json.MAPPER.valueToTree(suppressions.list(shop.id(), 1000)));
        return HttpResponse.json(200, body);
    }

    /** Takes an address off the list (the person asked to receive email again; a fixed mailbox). */
    HttpResponse removeSuppression(HttpRequest request) {
        Shop shop = AdminAuth.shop(shops, request);
        String address = request.pathParameter("email");
        if (address == null || !Identity.looksLikeEmail(address)) throw ApiException.badRequest("the path must end with an email address");
        if (!suppressions.remove(shop.id(), Identity.normaliseEmail(address))) throw ApiException.notFound("address is not suppressed");
        return HttpResponse.json(200, Json.object().put("removed", true));
    }

    HttpResponse messages(HttpRequest request) {
        Shop shop = AdminAuth.shop(shops, request);
        Contact contact = contact(shop, request);
        ObjectNode body = Json.object().put("contactId", contact.contactId());
        body.set("messages", Json.MAPPER.valueToTree(messages.recent(shop.id(), contact.contactId(), 100)));
        return HttpResponse.json(200, body);
    }

    HttpResponse consent(HttpRequest request) {
        Shop shop = AdminAuth.shop(shops, request);
        Contact contact = contact(shop, request);
        ObjectNode body = Json.object().put("contactId", contact.contactId());
        body.set("current", Json.MAPPER.valueToTree(contact.consent()));
        body.set("ledger", Json.MAPPER.valueToTree(contacts.consentLedger(shop.id(), contact.historyIds())));
        suppressions.get(shop.id(), contact.email() == null ? "" : contact.email())
                .ifPresent(s -> body.set("suppressed", Json.MAPPER.valueToTree(s)));
        return HttpResponse.json(200, body);
    }

    private Contact contact(Shop shop, HttpRequest request) {
        String id = request.pathParameter("id");
        if (id == null || !id.matches("[A-Za-z0-9-]{1,64}")) throw ApiException.badRequest("contact id is malformed");
        return contacts.current(shop.id(), id).orElseThrow(() -> ApiException.notFound("no contact " + id));
    }

    private EmailStore store() {
        return email.store();
    }

    private static String id(HttpRequest request) {
        String id = request.pathParameter("id");
        if (id == null || !id.matches(ConfigKind.ID)) throw ApiException.badRequest("template id must be 1-64 lower-case letters, digits, '-' or '_'");
        return id;
    }

    private static ApiException changedMeanwhile() {
        return ApiException.conflict("the shop's email settings changed while this request was checked; send it again");
    }
}
