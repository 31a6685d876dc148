package dev.kindling.journey.asl;

import com.fasterxml.jackson.databind.JsonNode;
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
    Status status = Status.RUNNING;
    String state;
    JsonNode data;
    Instant waitUntil;
    String resumeAt;
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

    public boolean isDone() {
        return status == Status.SUCCEEDED || status == Status.FAILED || status == Status.ABORTED;
    }

    /** StopExecution: an execution not yet done ends where it is, as ABORTED, and runs no further state. */
    public void stop(String error, String cause) {
        if (isDone()) return;
        status = Status.ABORTED;
        this.error = error;
        this.cause = cause;
    }
}
