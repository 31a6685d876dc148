package dev.kindling.local;

import dev.kindling.send.EmailSender;
import java.util.List;
import org.jsoup.nodes.Entities;

/** The local outbox as pages: a list of the emails sent, and each with its headers, HTML and text. */
final class OutboxPages {
    private static final String STYLE = "<style>body{font-family:Helvetica,Arial,sans-serif;margin:24px;color:#18181b}"
            + "table{border-collapse:collapse}td,th{border-bottom:1px solid #e4e4e7;padding:6px 10px;text-align:left;vertical-align:top}"
            + "th{background:#f4f4f5}iframe{width:100%;height:720px;border:1px solid #e4e4e7}pre{white-space:pre-wrap;background:#f4f4f5;padding:12px}</style>";

    private OutboxPages() {}

    static String list(List<LocalOutbox.Sent> sent) {
        StringBuilder html = new StringBuilder("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>Outbox</title>" + STYLE + "</head><body>")
                .append("<h1>Outbox</h1><p>").append(sent.size()).append(" email(s) sent by the local runtime, newest first.</p>")
                .append("<table><tr><th>Sent</th><th>To</th><th>Subject</th><th>Kind</th><th>Template</th><th></th></tr>");
        for (int i = sent.size() - 1; i >= 0; i--) {
            LocalOutbox.Sent s = sent.get(i);
            html.append("<tr><td>").append(s.at()).append("</td><td>").append(esc(s.email().to())).append("</td><td><a href=\"/outbox/")
                    .append(esc(s.id())).append("\">").append(esc(s.email().subject())).append("</a></td><td>")
                    .append(esc(s.email().tags().get("kind"))).append("</td><td>").append(esc(s.email().tags().get("template")))
                    .append("</td><td><a href=\"/outbox/").append(esc(s.id())).append(".eml\">.eml</a></td></tr>");
        }
        return html.append("</table></body></html>").toString();
    }

    static String one(LocalOutbox.Sent s) {
        EmailSender.OutgoingEmail e = s.email();
        StringBuilder html = new StringBuilder("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>").append(esc(e.subject()))
                .append("</title>" + STYLE + "</head><body><p><a href=\"/outbox\">← Outbox</a> · <a href=\"/outbox/")
                .append(esc(s.id())).append(".eml\">download .eml</a></p><table>");
        row(html, "Sent", s.at().toString());
        row(html, "From", e.from());
        row(html, "To", e.to());
        if (e.replyTo() != null) row(html, "Reply-To", e.replyTo());
        row(html, "Subject", e.subject());
        for (EmailSender.Header h : e.headers()) row(html, h.name(), h.value());
        row(html, "Configuration set", e.configurationSet());
        row(html, "Tags", e.tags().toString());
        // as delivered: its links go through the tracking redirect, so following one here is a click SES would report
        html.append("</table><h2>HTML</h2><iframe sandbox=\"allow-popups allow-top-navigation-by-user-activation\" srcdoc=\"").append(esc(s.deliveredHtml())).append("\"></iframe>")
                .append("<h2>Text</h2><pre>").append(esc(e.text())).append("</pre></body></html>");
        return html.toString();
    }

    /** The SMS outbox: every text, newest first, with its number, body, encoding and segments. */
    static String texts(List<LocalSmsOutbox.Text> sent) {
        StringBuilder html = new StringBuilder("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>SMS outbox</title>" + STYLE + "</head><body>")
                .append("<h1>SMS outbox</h1><p>").append(sent.size()).append(" text(s) sent by the local runtime, newest first.")
                .append(" Reply as the phone would: <code>POST /local/sms/inbound</code>.</p>")
                .append("<table><tr><th>Sent</th><th>To</th><th>Text</th><th>Encoding</th><th>Segments</th><th>Type</th></tr>");
        for (int i = sent.size() - 1; i >= 0; i--) {
            LocalSmsOutbox.Text t = sent.get(i);
            html.append("<tr><td>").append(t.at()).append("</td><td>").append(esc(t.to())).append("</td><td><pre>").append(esc(t.body()))
                    .append("</pre></td><td>").append(esc(t.encoding())).append("</td><td>").append(t.segments()).append("</td><td>")
                    .append(esc(t.messageType())).append("</td></tr>");
        }
        return html.append("</table></body></html>").toString();
    }

    private static void row(StringBuilder html, String name, String value) {
        html.append("<tr><th>").append(esc(name)).append("</th><td>").append(esc(value)).append("</td></tr>");
    }

    private static String esc(String s) {
        return s == null ? "" : Entities.escape(s);
    }
}
