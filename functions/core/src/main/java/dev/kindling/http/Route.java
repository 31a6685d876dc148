package dev.kindling.http;

import java.util.function.Function;

/** One route a function serves, by API Gateway route key. */
public record Route(String routeKey, Function<HttpRequest, HttpResponse> action) {}
