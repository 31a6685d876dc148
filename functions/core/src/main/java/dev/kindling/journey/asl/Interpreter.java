package dev.kindling.journey.asl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kindling.json.Json;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.regex.Pattern;

/**
 * Runs an {@link Execution} as Step Functions would, up to the next wait or the end: the states
 * Task, Pass, Choice, Wait, Succeed and Fail; InputPath, Parameters (with intrinsic functions),
 * ResultSelector, ResultPath and OutputPath; Retry and Catch. Time comes from the caller, so an
 * execution can run on a real, accelerated or skipped clock: a Wait only records when it ends.
 *
 * <p>A callback task ({@code arn:aws:states:::lambda:invoke.waitForTaskToken}) invokes its function with
 * the {@code Payload} of its Parameters ({@code $$.Task.Token} set), then waits, as Step Functions does, until
 * {@link #resume} brings its result (SendTaskSuccess) or its {@code TimeoutSeconds} / {@code TimeoutSecondsPath}
 * pass ({@code States.Timeout}, for its Retry and Catch).
 */
public final class Interpreter {

    /** Runs a Task's resource: returns its result, or throws {@link AslError} with the error name the task failed with. */
    public interface Tasks {
        JsonNode invoke(String state, String resource, JsonNode payload);
    }

    private static final int MAX_STEPS = 10_000;
    private static final String END = "\u0000end";
    /** The resource of a Lambda callback task; its Parameters name the function and its Payload. */
    static final String LAMBDA_CALLBACK = "arn:aws:states:::lambda:invoke.waitForTaskToken";
    /** The cause of a callback task's {@code States.Timeout} (as aws-local-stepfunctions gives it). */
    public static final String TIMED_OUT = "States.Timeout";
    /** A callback task's wait with no timeout: Step Functions' longest execution is a year. */
    private static final Duration NO_TIMEOUT = Duration.ofDays(366);

    private Interpreter() {}

    public static Execution start(StateMachine machine, String name, JsonNode input, Instant now) {
        ObjectNode context = Json.object();
        ObjectNode execution = context.putObject("Execution");
        execution.put("Id", "arn:aws:states:local:000000000000:execution:" + machine.name() + ":" + name);
        execution.set("Input", input);
        execution.put("Name", name);
        execution.put("StartTime", now.toString());
        context.putObject("StateMachine").put("Id", "arn:aws:states:local:000000000000:stateMachine:" + machine.name()).put("Name", machine.name());
        return new Execution(machine.name(), name, input, now, context, machine.startAt());
    }

    /** Advances the execution as far as it can go at {@code now}. */
    public static void run(StateMachine machine, Execution e, Tasks tasks, Instant now) {
        if (e.isDone()) return;
        if (e.status == Execution.Status.WAITING) {
            if (now.isBefore(e.waitUntil)) return;
            e.status = Execution.Status.RUNNING;
            e.waitUntil = null;
            if (e.token != null) { // a callback task's time is up before anyone answered
                e.token = null;
                handle(e, machine.state(e.state), new AslError("States.Timeout", TIMED_OUT), now);
                finish(machine, e, tasks, now);
                return;
            }
            if (END.equals(e.resumeAt)) {
                e.resumeAt = null;
                e.output = e.data;
                e.status = Execution.Status.SUCCEEDED;
                return;
            }
            if (e.resumeAt != null) { // a Wait state ends; a retry re-enters the same Task
                e.state = e.resumeAt;
                e.resumeAt = null;
                e.attempt = 0;
                enter(e);
            }
        } else if (e.path.isEmpty()) {
            enter(e);
        }
        finish(machine, e, tasks, now);
    }

    /**
     * SendTaskSuccess: the callback task waiting with this token takes {@code result} as its result and the
     * execution goes on; false when no task waits with it (answered already, timed out, or stopped).
     */
    public static boolean resume(StateMachine machine, Execution e, String token, JsonNode result, Tasks tasks, Instant now) {
        if (e.status != Execution.Status.WAITING || token == null || !token.equals(e.token)) return false;
        e.token = null;
        e.waitUntil = null;
        e.status = Execution.Status.RUNNING;
        complete(e, machine.state(e.state), result, withState(e, now), now);
        finish(machine, e, tasks, now);
        return true;
    }

    private static void finish(StateMachine machine, Execution e, Tasks tasks, Instant now) {
        for (int steps = 0; e.status == Execution.Status.RUNNING; steps++) {
            if (steps > MAX_STEPS) throw new IllegalStateException("execution " + e.name + " ran " + MAX_STEPS + " states without waiting");
            step(machine, e, tasks, now);
        }
    }

    private static void enter(Execution e) {
        e.path.add(e.state);
        e.transitions++;
    }

    private static void step(StateMachine machine, Execution e, Tasks tasks, Instant now) {
        JsonNode s = machine.state(e.state);
        JsonNode context = withState(e, now);
        try {
            switch (s.path("Type").asText()) {
                case "Pass" -> {
                    JsonNode effective = parameters(s, inputPath(s, e.data, context), context);
                    JsonNode result = s.has("Result") ? s.get("Result") : effective;
                    next(e, s, outputPath(s, resultPath(s, e.data, result), context));
                }
                case "Task" -> task(e, s, tasks, context, now);
                case "Choice" -> {
                    JsonNode in = inputPath(s, e.data, context);
                    String target = null;
                    for (JsonNode rule : s.path("Choices")) {
                        if (matches(rule, in, context)) {
                            target = rule.path("Next").asText();
                            break;
                        }
                    }
                    if (target == null) target = s.path("Default").asText(null);
                    if (target == null) throw new AslError("States.NoChoiceMatched", "no choice rule matched in " + e.state);
                    e.data = outputPath(s, in, context);
                    e.state = target;
                    enter(e);
                }
                case "Wait" -> {
                    JsonNode in = inputPath(s, e.data, context);
                    Instant until;
                    if (s.has("Seconds")) until = now.plusSeconds(s.get("Seconds").asLong());
                    else if (s.has("SecondsPath")) until = now.plusSeconds(Paths.read(s.get("SecondsPath").asText(), in, context).asLong());
                    else if (s.has("Timestamp")) until = timestamp(s.get("Timestamp").asText());
                    else until = timestamp(Paths.read(s.get("TimestampPath").asText(), in, context).asText());
                    e.data = outputPath(s, in, context);
                    // a Wait that ends the machine succeeds when its time comes
                    wait(e, until, s.path("End").asBoolean(false) ? END : s.path("Next").asText());
                }
                case "Succeed" -> {
                    e.output = outputPath(s, inputPath(s, e.data, context), context);
                    e.status = Execution.Status.SUCCEEDED;
                }
                case "Fail" -> {
                    e.error = s.path("Error").asText("States.Fail");
                    e.cause = s.path("Cause").asText("");
                    e.status = Execution.Status.FAILED;
                }
                default -> throw new AslError("States.Runtime", "unsupported state type " + s.path("Type").asText());
            }
        } catch (AslError failure) { // a Task handles its own failures (Retry, Catch) in task()
            e.error = failure.error();
            e.cause = failure.cause();
            e.status = Execution.Status.FAILED;
        }
    }

    private static void task(Execution e, JsonNode s, Tasks tasks, JsonNode context, Instant now) {
        JsonNode result;
        try {
            String resource = s.path("Resource").asText();
            boolean callback = resource.equals(LAMBDA_CALLBACK);
            if (callback) ((ObjectNode) context).putObject("Task").put("Token", e.name + ":" + e.state + ":" + e.transitions + ":" + e.attempt);
            JsonNode effective = inputPath(s, e.data, context);
            JsonNode payload = parameters(s, effective, context);
            if (callback) {
                // the token is good from the task's start: the function itself may answer it (SendTaskSuccess) before it returns
                e.token = context.path("Task").path("Token").asText();
                try {
                    tasks.invoke(e.state, payload.path("FunctionName").asText(), payload.path("Payload"));
                } catch (RuntimeException failed) {
                    e.token = null;
                    throw failed;
                }
                e.resumeAt = null;
                e.waitUntil = now.plus(timeout(s, effective, context));
                e.status = Execution.Status.WAITING; // last: a reader that sees it waiting sees until when
                return;
            }
            result = tasks.invoke(e.state, resource, payload);
        } catch (AslError failure) {
            handle(e, s, failure, now);
            return;
        } catch (RuntimeException crash) {
            handle(e, s, new AslError("States.TaskFailed", crash.getClass().getSimpleName() + ": " + crash.getMessage()), now);
            return;
        }
        complete(e, s, result, context, now);
    }

    /**
     * A Task's result, however it came (its function's answer, or SendTaskSuccess for a callback): ResultSelector (a
     * failure there goes to Retry and Catch, as the task's own would), then ResultPath and OutputPath to the next state.
     */
    private static void complete(Execution e, JsonNode s, JsonNode result, JsonNode context, Instant now) {
        JsonNode selected;
        try {
            selected = s.has("ResultSelector") ? Payload.evaluate(s.get("ResultSelector"), result, context) : result;
        } catch (AslError failure) {
            handle(e, s, failure, now);
            return;
        }
        try {
            next(e, s, outputPath(s, resultPath(s, e.data, selected), context));
        } catch (AslError failure) {
            e.error = failure.error();
            e.cause = failure.cause();
            e.status = Execution.Status.FAILED;
        }
    }

    /** Retry (a wait, then the same Task again), else Catch (to its Next with the error at its ResultPath), else the execution fails. */
    private static void handle(Execution e, JsonNode s, AslError failure, Instant now) {
        for (JsonNode retrier : s.path("Retry")) {
            if (!covers(retrier.path("ErrorEquals"), failure.error())) continue;
            int max = retrier.path("MaxAttempts").asInt(3);
            if (e.attempt < max) {
                double interval = retrier.path("IntervalSeconds").asDouble(1) * Math.pow(retrier.path("BackoffRate").asDouble(2.0), e.attempt);
                e.attempt++;
                e.transitions++;
                e.resumeAt = null; // the same state
                e.waitUntil = now.plus(Duration.ofMillis(Math.round(interval * 1000)));
                e.status = Execution.Status.WAITING;
                return;
            }
            break;
        }
        e.attempt = 0;
        for (JsonNode catcher : s.path("Catch")) {
            if (!covers(catcher.path("ErrorEquals"), failure.error())) continue;
            ObjectNode error = Json.object().put("Error", failure.error()).put("Cause", failure.cause());
            e.data = Paths.put(e.data, catcher.has("ResultPath") && !catcher.get("ResultPath").isNull() ? catcher.get("ResultPath").asText() : "$",
                    error, catcher.has("ResultPath") && catcher.get("ResultPath").isNull());
            e.state = catcher.path("Next").asText();
            enter(e);
            return;
        }
        e.error = failure.error();
        e.cause = failure.cause();
        e.status = Execution.Status.FAILED;
    }

    /** A Task's TimeoutSeconds or TimeoutSecondsPath (a whole number of seconds, at least 1), else no limit. */
    private static Duration timeout(JsonNode s, JsonNode input, JsonNode context) {
        JsonNode seconds = s.has("TimeoutSeconds") ? s.get("TimeoutSeconds")
                : s.has("TimeoutSecondsPath") ? Paths.read(s.get("TimeoutSecondsPath").asText(), input, context) : null;
        if (seconds == null) return NO_TIMEOUT;
        if (!seconds.canConvertToLong() || seconds.asLong() < 1) throw new AslError("States.Runtime", "TimeoutSeconds must be a whole number of at least 1, not " + seconds);
        return Duration.ofSeconds(seconds.asLong());
    }

    private static boolean covers(JsonNode errorEquals, String error) {
        for (JsonNode name : errorEquals) {
            String n = name.asText();
            if (n.equals(error) || n.equals("States.ALL") || (n.equals("States.TaskFailed") && !error.startsWith("States."))) return true;
        }
        return false;
    }

    private static void wait(Execution e, Instant until, String next) {
        e.resumeAt = next;
        e.waitUntil = until;
        e.status = Execution.Status.WAITING;
    }

    private static void next(Execution e, JsonNode s, JsonNode output) {
        e.data = output;
        if (s.path("End").asBoolean(false)) {
            e.output = output;
            e.status = Execution.Status.SUCCEEDED;
            return;
        }
        e.state = s.path("Next").asText();
        e.attempt = 0;
        enter(e);
    }

    /** The context object as this state sees it: the execution's, with {@code State} set in place (an execution runs one state at a time). */
    private static JsonNode withState(Execution e, Instant now) {
        ObjectNode context = (ObjectNode) e.context;
        context.remove("Task");
        context.putObject("State").put("Name", e.state).put("EnteredTime", now.toString()).put("RetryCount", e.attempt);
        return context;
    }

    private static JsonNode inputPath(JsonNode s, JsonNode data, JsonNode context) {
        if (!s.has("InputPath")) return data;
        if (s.get("InputPath").isNull()) return Json.object();
        return Paths.read(s.get("InputPath").asText(), data, context);
    }

    private static JsonNode parameters(JsonNode s, JsonNode input, JsonNode context) {
        return s.has("Parameters") ? Payload.evaluate(s.get("Parameters"), input, context) : input;
    }

    private static JsonNode resultPath(JsonNode s, JsonNode data, JsonNode result) {
        if (!s.has("ResultPath")) return result;
        if (s.get("ResultPath").isNull()) return data;
        return Paths.put(data, s.get("ResultPath").asText(), result, false);
    }

    private static JsonNode outputPath(JsonNode s, JsonNode data, JsonNode context) {
        if (!s.has("OutputPath")) return data;
        if (s.get("OutputPath").isNull()) return Json.object();
        return Paths.read(s.get("OutputPath").asText(), data, context);
    }

    private static Instant timestamp(String text) {
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException bad) {
            throw new AslError("States.Runtime", "not a timestamp: " + text);
        }
    }

    /** A Choice rule: a comparison on Variable, or And / Or / Not of rules. */
    static boolean matches(JsonNode rule, JsonNode input, JsonNode context) {
        if (rule.has("And")) {
            for (JsonNode r : rule.get("And")) if (!matches(r, input, context)) return false;
            return true;
        }
        if (rule.has("Or")) {
            for (JsonNode r : rule.get("Or")) if (matches(r, input, context)) return true;
            return false;
        }
        if (rule.has("Not")) return !matches(rule.get("Not"), input, context);
        String variable = rule.path("Variable").asText();
        if (rule.has("IsPresent")) return Paths.present(variable, input, context) == rule.get("IsPresent").asBoolean();
        JsonNode value = Paths.read(variable, input, context);
        var fields = rule.properties().iterator();
        while (fields.hasNext()) {
            var f = fields.next();
            String op = f.getKey();
            if (op.equals("Variable") || op.equals("Next")) continue;
            JsonNode expected = op.endsWith("Path") ? Paths.read(f.getValue().asText(), input, context) : f.getValue();
            String base = op.endsWith("Path") ? op.substring(0, op.length() - 4) : op;
            return compare(base, value, expected);
        }
        throw new AslError("States.Runtime", "a Choice rule without a comparison");
    }

    private static boolean compare(String op, JsonNode value, JsonNode expected) {
        return switch (op) {
            case "IsNull" -> value.isNull() == expected.asBoolean();
            case "IsString" -> value.isTextual() == expected.asBoolean();
            case "IsNumeric" -> value.isNumber() == expected.asBoolean();
            case "IsBoolean" -> value.isBoolean() == expected.asBoolean();
            case "IsTimestamp" -> (value.isTextual() && isTimestamp(value.asText())) == expected.asBoolean();
            case "StringEquals" -> value.isTextual() && value.asText().equals(expected.asText());
            case "StringLessThan" -> value.isTextual() && value.asText().compareTo(expected.asText()) < 0;
            case "StringGreaterThan" -> value.isTextual() && value.asText().compareTo(expected.asText()) > 0;
            case "StringLessThanEquals" -> value.isTextual() && value.asText().compareTo(expected.asText()) <= 0;
            case "StringGreaterThanEquals" -> value.isTextual() && value.asText().compareTo(expected.asText()) >= 0;
            case "StringMatches" -> value.isTextual() && value.asText().matches(glob(expected.asText()));
            case "BooleanEquals" -> value.isBoolean() && value.asBoolean() == expected.asBoolean();
            case "NumericEquals" -> value.isNumber() && number(value).compareTo(number(expected)) == 0;
            case "NumericLessThan" -> value.isNumber() && number(value).compareTo(number(expected)) < 0;
            case "NumericGreaterThan" -> value.isNumber() && number(value).compareTo(number(expected)) > 0;
            case "NumericLessThanEquals" -> value.isNumber() && number(value).compareTo(number(expected)) <= 0;
            case "NumericGreaterThanEquals" -> value.isNumber() && number(value).compareTo(number(expected)) >= 0;
            case "TimestampEquals" -> value.isTextual() && isTimestamp(value.asText()) && timestamp(value.asText()).equals(timestamp(expected.asText()));
            case "TimestampLessThan" -> value.isTextual() && isTimestamp(value.asText()) && timestamp(value.asText()).isBefore(timestamp(expected.asText()));
            case "TimestampGreaterThan" -> value.isTextual() && isTimestamp(value.asText()) && timestamp(value.asText()).isAfter(timestamp(expected.asText()));
            case "TimestampLessThanEquals" -> value.isTextual() && isTimestamp(value.asText()) && !timestamp(value.asText()).isAfter(timestamp(expected.asText()));
            case "TimestampGreaterThanEquals" -> value.isTextual() && isTimestamp(value.asText()) && !timestamp(value.asText()).isBefore(timestamp(expected.asText()));
            default -> throw new AslError("States.Runtime", "unsupported comparison " + op);
        };
    }

    private static BigDecimal number(JsonNode n) {
        return n.decimalValue();
    }

    private static boolean isTimestamp(String text) {
        try {
            OffsetDateTime.parse(text);
            return true;
        } catch (DateTimeParseException e) {
            return false;
        }
    }

    private static String glob(String pattern) {
        StringBuilder regex = new StringBuilder();
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            if (c == '\\' && i + 1 < pattern.length()) regex.append(Pattern.quote(String.valueOf(pattern.charAt(++i))));
            else if (c == '*') regex.append(".*");
            else regex.append(Pattern.quote(String.valueOf(c)));
        }
        return regex.toString();
    }
}
