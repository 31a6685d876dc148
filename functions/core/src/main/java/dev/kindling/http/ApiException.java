package dev.kindling.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kindling.json.Json;
import java.util.List;

/** A request we refuse, with the status and the JSON error the caller gets. Nothing has been stored when it is thrown. */
public final class ApiException extends RuntimeException {
    private final int status;
    private final String code;
    private final List<String> problems;

    public ApiException(int status, String code, String message) {
        this(status, code, message, List.of());
    }

    private ApiException(int status, String code, String message, List<String> problems) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
        this.problems = List.copyOf(problems);
    }

    /** A document that does not validate: 400 with every problem, each naming where it is. */
    public static ApiException invalid(String message, List<String> problems) {
        return new ApiException(400, "invalid", message, problems);
    }

    public static ApiException conflict(String message) {
        return new ApiException(409, "conflict", message);
    }

    public static ApiException badRequest(String message) {
        return new ApiException(400, "bad_request", message);
    }

    public static ApiException unauthorized(String message) {
        return new ApiException(401, "unauthorized", message);
    }

    public static ApiException tooLarge(String message) {
        return new ApiException(413, "payload_too_large", message);
    }

    public static ApiException notFound(String message) {
        return new ApiException(404, "not_found", message);
    }

    public HttpResponse toResponse() {
        if (problems.isEmpty()) return HttpResponse.error(status, code, getMessage());
        ObjectNode body = Json.object().put("error", code).put("message", getMessage());
        problems.forEach(body.putArray("problems")::add);
        return HttpResponse.json(status, body);
    }

    public int status() {
        return status;
    }
}
