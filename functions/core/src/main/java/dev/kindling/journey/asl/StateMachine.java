package dev.kindling.journey.asl;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/** A state machine definition (Amazon States Language, JSONPath query language), checked enough to run. */
public record StateMachine(String name, JsonNode definition) {

    public static StateMachine of(String name, JsonNode definition) {
        List<String> problems = new ArrayList<>();
        String start = definition.path("StartAt").asText(null);
        JsonNode states = definition.path("States");
        if (start == null || !states.has(start)) problems.add("StartAt names no state");
        states.properties().forEach(e -> {
            JsonNode s = e.getValue();
            String type = s.path("Type").asText("");
            if (!List.of("Task", "Pass", "Choice", "Wait", "Succeed", "Fail").contains(type)) {
                problems.add(e.getKey() + ": the journey engine runs Task, Pass, Choice, Wait, Succeed and Fail, not " + type);
            }
            String next = s.path("Next").asText(null);
            if (next != null && !states.has(next)) problems.add(e.getKey() + ": Next names no state " + next);
        });
        if (!problems.isEmpty()) throw new IllegalArgumentException("state machine " + name + ": " + String.join("; ", problems));
        return new StateMachine(name, definition);
    }

    JsonNode state(String stateName) {
        JsonNode s = definition.path("States").get(stateName);
        if (s == null) throw new AslError("States.Runtime", "no state " + stateName);
        return s;
    }

    String startAt() {
        return definition.path("StartAt").asText();
    }
}
