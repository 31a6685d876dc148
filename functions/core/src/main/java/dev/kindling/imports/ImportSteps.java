package dev.kindling.imports;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kindling.json.Json;
import dev.kindling.shop.Shop;
import dev.kindling.shop.ShopDirectory;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Locale;

/**
 * The steps of an import on AWS, which ImportFunction runs for the import state machine: {@code prepare} reads the
 * source (the file put in the imports bucket, or the shop's platform) and writes its batches as objects under one
 * prefix; the Distributed Map lists them and runs {@code batch} on each, several at once; {@code finish} records the end.
 * Every step can run again (Step Functions retries): a batch stores nothing twice, a prepare writes the same objects.
 */
public final class ImportSteps {
    private final ShopDirectory shops;
    private final ImportBatches batches;
    private final ImportStore store;
    private final ImportObjects objects;
    private final Imports.Pulls pulls;
    private final Clock clock;

    public ImportSteps(ShopDirectory shops, ImportBatches batches, ImportStore store, ImportObjects objects, Imports.Pulls pulls, Clock clock) {
        this.shops = shops;
        this.batches = batches;
        this.store = store;
        this.objects = objects;
        this.pulls = pulls;
        this.clock = clock;
    }

    /** Where a file posted for an import is put. */
    public static String sourceKey(String shopId, String importId) {
        return "imports/" + shopId + "/" + importId + "/source";
    }

    /** Where a file uploaded for an import is put (the upload's id is random and names nothing else). */
    public static String uploadKey(String shopId, String uploadId) {
        return "imports/" + shopId + "/uploads/" + uploadId;
    }

    /** The prefix an import's batches are written under, one object each: what the Distributed Map lists. */
    public static String batchesPrefix(String shopId, String importId) {
        return "imports/" + shopId + "/" + importId + "/batches/";
    }

    public ObjectNode run(JsonNode request) {
        String action = request.path("action").asText();
        Shop shop = shops.byId(request.path("shopId").asText())
                .orElseThrow(() -> new IllegalArgumentException("no shop " + request.path("shopId").asText()));
        String importId = request.path("importId").asText();
        ImportFormat format = ImportFormat.of(request.path("format").asText())
                .orElseThrow(() -> new IllegalArgumentException("no import format " + request.path("format").asText()));
        return switch (action) {
            case "prepare" -> prepare(shop, importId, format, request.path("source").asText(""));
            case "batch" -> batch(shop, importId, format, request.path("key").asText());
            case "finish" -> finish(shop, importId, format, request.path("source").asText(""), request.path("error"));
            default -> throw new IllegalArgumentException("ImportFunction takes prepare, batch or finish, not " + action);
        };
    }

    /** @param source the file's key (posted or uploaded); empty for a pull */
    private ObjectNode prepare(Shop shop, String importId, ImportFormat format, String source) {
        byte[] file = format.isPull() ? null : objects.get(source.isEmpty() ? sourceKey(shop.id(), importId) : source);
        String prefix = batchesPrefix(shop.id(), importId);
        int[] written = {0};
        long total = Imports.split(format, file == null ? null : new ByteArrayInputStream(file), shop, pulls, batch -> {
            // zero-padded, so the listing (and so the map) goes through the file in order
            objects.put(prefix + String.format(Locale.ROOT, "%08d.json", written[0]++), Json.write(Json.object().set("items",
                    Json.MAPPER.valueToTree(batch))).getBytes(StandardCharsets.UTF_8));
        });
        store.total(shop.id(), importId, total);
        return Json.object().put("prefix", prefix).put("batches", written[0]).put("total", total);
    }

    private ObjectNode batch(Shop shop, String importId, ImportFormat format, String key) {
        List<ImportItem> items;
        try {
            items = List.of(Json.MAPPER.treeToValue(Json.MAPPER.readTree(objects.get(key)).path("items"), ImportItem[].class));
        } catch (IOException e) {
            throw new UncheckedIOException("batch " + key, e);
        }
        ImportStatus.Tally tally = batches.run(shop, importId, format, items);
        return Json.object().put("read", tally.read()).put("imported", tally.imported()).put("merged", tally.merged())
                .put("unchanged", tally.unchanged()).put("skipped", tally.skipped());
    }

    /**
     * The end: done, or failed with the error the state machine caught ({@code {"Error", "Cause"}}). The file is deleted
     * then: it holds people's data that their erasure could not reach in it (the batches expire with the bucket's day).
     */
    private ObjectNode finish(Shop shop, String importId, ImportFormat format, String source, JsonNode error) {
        if (!format.isPull()) objects.delete(source.isEmpty() ? sourceKey(shop.id(), importId) : source);
        boolean failed = error != null && error.isObject();
        String message = failed ? error.path("Error").asText() + ": " + error.path("Cause").asText() : null;
        store.finished(shop.id(), importId, failed ? ImportStatus.State.failed : ImportStatus.State.done, message, clock.instant());
        return Json.object().put("status", failed ? "failed" : "done");
    }
}
