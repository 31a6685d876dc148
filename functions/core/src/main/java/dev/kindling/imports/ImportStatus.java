package dev.kindling.imports;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kindling.json.Json;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Where an import stands: what it reads, how far it got and what it could not use.
 *
 * @param total the items to read, once known (a file's, after it was split into batches); null before
 * @param tally what the batches done so far did
 */
public record ImportStatus(String id, ImportFormat format, String name, State state, Instant startedAt, Instant finishedAt, Long total,
                           Tally tally, String error) {
    public enum State { running, done, failed }

    /** At most this many problems are kept, the first ones: enough to mend a file, bounded for a file of bad rows. */
    public static final int PROBLEMS_KEPT = 20;

    public record Problem(int line, String reason) {}

    /**
     * What a batch did, or the sum of batches: items read; imported (stored now); merged (of the imported, those that
     * joined a profile Kindling already had, from live traffic, an earlier import or an earlier row, instead of making a
     * new one); unchanged (stored before: a second import of the same file changes nothing); skipped (unusable, with the
     * first problems by line).
     */
    public record Tally(long read, long imported, long merged, long unchanged, long skipped, List<Problem> problems) {
        public static final Tally NONE = new Tally(0, 0, 0, 0, 0, List.of());

        public Tally {
            problems = List.copyOf(problems);
        }

        public Tally plus(Tally o) {
            List<Problem> both = new ArrayList<>(problems);
            o.problems.stream().limit(Math.max(0, PROBLEMS_KEPT - both.size())).forEach(both::add);
            return new Tally(read + o.read, imported + o.imported, merged + o.merged, unchanged + o.unchanged, skipped + o.skipped, both);
        }
    }

    public static ImportStatus started(String id, ImportFormat format, String name, Instant at) {
        return new ImportStatus(id, format, name, State.running, at, null, null, Tally.NONE, null);
    }

    /** As the admin API answers it, with the rate so far and, while running with a known total, the time left. */
    public ObjectNode toJson(Instant now) {
        ObjectNode json = Json.object().put("id", id).put("format", format.wireName()).put("name", name).put("status", state.name())
                .put("startedAt", startedAt.toString());
        if (finishedAt != null) json.put("finishedAt", finishedAt.toString());
        if (total != null) json.put("total", total);
        json.put("read", tally.read()).put("imported", tally.imported()).put("merged", tally.merged()).put("unchanged", tally.unchanged())
                .put("skipped", tally.skipped());
        double seconds = Duration.between(startedAt, finishedAt != null ? finishedAt : now).toMillis() / 1000.0;
        double rate = seconds > 0 ? tally.read() / seconds : 0;
        json.put("rowsPerSecond", Math.round(rate));
        if (state == State.running && total != null && rate > 0) json.put("secondsLeft", Math.round(Math.max(0, total - tally.read()) / rate));
        json.set("problems", Json.MAPPER.valueToTree(tally.problems()));
        if (error != null) json.put("error", error);
        return json;
    }
}
