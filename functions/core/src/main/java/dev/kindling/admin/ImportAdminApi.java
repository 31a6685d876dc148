package dev.kindling.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.kindling.http.ApiException;
import dev.kindling.http.HttpRequest;
import dev.kindling.http.HttpResponse;
import dev.kindling.http.Route;
import dev.kindling.imports.ImportFormat;
import dev.kindling.imports.ImportStatus;
import dev.kindling.imports.ImportUploads;
import dev.kindling.imports.Imports;
import dev.kindling.json.Json;
import dev.kindling.shop.Shop;
import dev.kindling.shop.ShopDirectory;
import java.time.Clock;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Imports of a shop's history: a file (Shopify's customer or order CSV export, Segment-spec JSONL) posted as the body, or
 * a pull from the shop's Shopify Admin API; each answered 202 with its id, then followed by its status.
 */
public final class ImportAdminApi {
    /**
     * What one request carries. The HTTP API takes 10 MB, but Lambda takes an invocation of 6 MB, and the HTTP API hands a
     * file to the function base64-encoded (a third larger) inside its event: 4 MB becomes 5.33 MB and the event stays
     * under 6 MB. A larger file is uploaded first ({@link #upload}).
     */
    static final int MAX_FILE_BYTES = 4 * 1024 * 1024;
    /** Lambda's limit on a synchronous invocation's payload (request and response). */
    static final int LAMBDA_PAYLOAD_BYTES = 6 * 1024 * 1024;

    private final ShopDirectory shops;
    private static final Pattern UPLOAD_ID = Pattern.compile("[0-9]{8}T[0-9]{6}-[0-9a-f]{1,10}");

    private final Imports imports;
    private final ImportUploads uploads;
    private final Clock clock;

    public ImportAdminApi(ShopDirectory shops, Imports imports, ImportUploads uploads, Clock clock) {
        this.shops = shops;
        this.imports = imports;
        this.uploads = uploads;
        this.clock = clock;
    }

    public List<Route> routes() {
        return List.of(new Route("POST /admin/imports", this::start),
                new Route("POST /admin/imports/uploads", this::upload),
                new Route("GET /admin/imports", this::list),
                new Route("GET /admin/imports/{id}", this::get));
    }

    /**
     * {@code ?format=shopify-customers-csv|shopify-orders-csv|segment-jsonl} with the file as the body (and {@code name}, the
     * file's name, to show), or a JSON body {@code {"source": "shopify"}} or {@code {"source": "woocommerce"}} to pull from the
     * shop's platform.
     */
    HttpResponse start(HttpRequest request) {
        Shop shop = AdminAuth.shop(shops, request);
        String formatName = request.query().get("format");
        ImportStatus started;
        if (formatName != null) {
            ImportFormat format = ImportFormat.of(formatName).filter(f -> !f.isPull())
                    .orElseThrow(() -> ApiException.badRequest("format must be one of " + ImportFormat.files() + "; was " + formatName));
            String name = request.query().getOrDefault("name", format.wireName());
            name = name.length() > 200 ? name.substring(0, 200) : name;
            String upload = request.query().get("upload");
            if (upload != null) {
                if (!UPLOAD_ID.matcher(upload).matches()) throw ApiException.badRequest("upload must be the id POST /admin/imports/uploads answered");
                started = imports.startUploaded(shop, format, name, upload);
            } else {
                byte[] file = request.decodedBody(MAX_FILE_BYTES, "file");
                if (file.length == 0) throw ApiException.badRequest("the body is empty: send the file as the body, or upload it first (POST /admin/imports/uploads)");
                started = imports.start(shop, format, name, file);
            }
        } else {
            JsonNode body = AdminDocuments.read(request, 4 * 1024);
            String source = Json.text(body, "source");
            if ("shopify".equals(source)) {
                if (shop.shopifyAdmin() == null) {
                    throw ApiException.badRequest("source: the shop has no Shopify Admin API configured (shopifyAdmin: url and accessToken in its configuration)");
                }
                started = imports.start(shop, ImportFormat.SHOPIFY_API, "Shopify Admin API", null);
            } else if ("woocommerce".equals(source)) {
                if (shop.wooCommerceApi() == null) {
                    throw ApiException.badRequest("source: the shop has no WooCommerce REST API configured (wooCommerceApi: url, consumerKey and consumerSecret in its configuration)");
                }
                started = imports.start(shop, ImportFormat.WOOCOMMERCE_API, "WooCommerce REST API", null);
            } else {
                throw ApiException.badRequest("give ?format=" + ImportFormat.files() + " with the file as the body, or {\"source\": \"shopify\"} or {\"source\": \"woocommerce\"}");
            }
        }
        return HttpResponse.json(202, started.toJson(clock.instant()));
    }

    /**
     * A link to PUT a file too large for one call to (over {@value #MAX_FILE_BYTES} bytes): {@code {"upload", "url",
     * "method": "PUT", "expiresAt"}}; then {@code POST /admin/imports?format=…&upload=<upload>} imports it.
     */
    HttpResponse upload(HttpRequest request) {
        Shop shop = AdminAuth.shop(shops, request);
        String id = Imports.newId(clock.instant());
        ImportUploads.Link link = uploads.link(shop.id(), id, clock.instant());
        return HttpResponse.json(201, Json.object().put("upload", id).put("url", link.url()).put("method", "PUT")
                .put("expiresAt", link.expiresAt().toString()));
    }

    HttpResponse list(HttpRequest request) {
        Shop shop = AdminAuth.shop(shops, request);
        ArrayNode list = Json.MAPPER.createArrayNode();
        imports.store().recent(shop.id(), 50).forEach(s -> list.add(s.toJson(clock.instant())));
        return HttpResponse.json(200, Json.object().set("imports", list));
    }

    HttpResponse get(HttpRequest request) {
        Shop shop = AdminAuth.shop(shops, request);
        String id = request.pathParameter("id");
        return imports.store().get(shop.id(), id).map(s -> HttpResponse.json(200, s.toJson(clock.instant())))
                .orElseThrow(() -> ApiException.notFound("no import " + id));
    }
}
