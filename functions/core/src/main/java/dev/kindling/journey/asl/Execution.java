package dev.kindling.journey.asl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kindling.json.Json;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * One run of a state machine: where it is, the data it carries, when it may go on, the states it
 * entered (its path) and how many state transitions it took (what Step Functions bills).
 */
public final class Execution {
    public enum Status { RUNNING, WAITING, SUCCEEDED, FAILED, ABORTED }

    public final String name;
    public final String machine;
    public final JsonNode input;
    public final Instant startTime;
    final JsonNode context;
    /** Volatile with {@link #waitUntil}: an engine's timer reads both without the execution's lock to find what is due. */
    volatile Status status = Status.RUNNING;
    String state;
    JsonNode data;
    volatile Instant waitUntil;
    String resumeAt;
    /** A callback task's token while it waits for SendTaskSuccess, else null. */
    volatile String token;
    int attempt;
    JsonNode output;
    String error;
    String cause;
    long transitions;
    final List<String> path = new ArrayList<>();

    public Execution(String machine, String name, JsonNode input, Instant startTime, JsonNode context, String startAt) {
        this.machine = machine;
        this.name = name;
        this.input = input;
        this.startTime = startTime;
        this.context = context;
        this.state = startAt;
        this.data = input;
    }

    public Status status() {
        return status;
    }

    public Instant waitUntil() {
        return waitUntil;
    }

    public JsonNode output() {
        return output;
    }

    public String error() {
        return error;
    }

    public String cause() {
        return cause;
    }

    public List<String> path() {
        return List.copyOf(path);
    }

    public long transitions() {
        return transitions;
    }

    /** The token a callback task waits with (SendTaskSuccess), or null when none waits. */
    public String token() {
        return token;
    }

    public boolean isDone() {
        return status == Status.SUCCEEDED || status == Status.FAILED || status == Status.ABORTED;
    }

    /**
     * Everything the execution holds, as JSON: what an engine writes down after each step so that a
     * restarted engine goes on where it was ({@link #restore}).
     */
    public ObjectNode snapshot() {
        ObjectNode o = Json.object().put("name", name).put("machine", machine).put("startTime", startTime.toString())
                .put("status", status.name()).put("state", state).put("attempt", attempt).put("transitions", transitions)
                .put("waitUntil", waitUntil == null ? null : waitUntil.toString()).put("resumeAt", resumeAt).put("token", token)
                .put("error", error).put("cause", cause);
        o.set("input", input);
        o.set("context", context);
        o.set("data", data);
        o.set("output", output);
        o.set("path", Json.MAPPER.valueToTree(path));
        return o;
    }

    /** The execution a {@link #snapshot} describes. */
    public static Execution restore(JsonNode o) {
        Execution e = new Execution(o.path("machine").asText(), o.path("name").asText(), o.get("input"),
                Instant.parse(o.path("startTime").asText()), o.get("context").deepCopy(), o.path("state").asText(null));
        e.status = Status.valueOf(o.path("status").asText());
        e.data = o.get("data");
        e.waitUntil = o.hasNonNull("waitUntil") ? Instant.parse(o.get("waitUntil").asText()) : null;
        e.resumeAt = o.path("resumeAt").asText(null);
        e.token = o.path("token").asText(null);
        e.attempt = o.path("attempt").asInt();
        e.output = o.hasNonNull("output") ? o.get("output") : null;
        e.error = o.path("error").asText(null);
        e.cause = o.path("cause").asText(null);
        e.transitions = o.path("transitions").asLong();
        o.path("path").forEach(p -> e.path.add(p.asText()));
        return e;
    }

    /** StopExecution: an execution not yet done ends where it is, as ABORTED, and runs no further state. */
    public void stop(String error, String cause) {
        if (isDone()) return;
        status = Status.ABORTED;
        token = null;
        this.error = error;
        this.cause = cause;
    }
}
