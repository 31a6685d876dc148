package dev.kindling.http;

import java.util.LinkedHashMap;
import java.util.Map;
import org.jsoup.nodes.Entities;

/**
 * The pages people reach from links in emails (unsubscribe, preferences, confirmation, surveys):
 * one shop-branded layout, never cached, never framed, sending no referrer (their tokens are in the
 * URL), with a CSP that allows no scripts.
 */
public final class HtmlPage {
    public static final String PAGE_POLICY = "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'";

    private HtmlPage() {}

    /** @param body HTML, already escaped where it holds anything a person or a shop wrote */
    public static HttpResponse of(int status, String shopName, String title, String body) {
        String html = "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
                + "<title>" + escape(title) + " · " + escape(shopName) + "</title><style>body{font-family:Helvetica,Arial,sans-serif;max-width:560px;margin:48px auto;padding:0 16px;color:#18181b;line-height:1.5}"
                + "button{background:#1f6feb;color:#fff;border:0;border-radius:6px;padding:10px 20px;font-size:16px;cursor:pointer}fieldset{border:1px solid #e4e4e7;border-radius:6px}</style></head><body>"
                + "<p><strong>" + escape(shopName) + "</strong></p><h1>" + escape(title) + "</h1>" + body + "</body></html>";
        return new HttpResponse(status, headers(PAGE_POLICY), html);
    }

    public static Map<String, String> headers(String contentSecurityPolicy) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("content-type", "text/html; charset=utf-8");
        headers.put("cache-control", "no-store");
        headers.put("referrer-policy", "no-referrer"); // the token is in the URL
        headers.put("x-frame-options", "DENY");
        headers.put("content-security-policy", contentSecurityPolicy);
        return headers;
    }

    public static String escape(String text) {
        return text == null ? "" : Entities.escape(text);
    }
}
