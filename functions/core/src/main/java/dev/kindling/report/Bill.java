package dev.kindling.report;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kindling.engagement.EmailStats;
import dev.kindling.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What a shop's AWS bill comes to: the operations counted in its aggregates (events ingested,
 * emails sent, SES's events about them, journey entries, campaign runs), times what each operation
 * uses (Lambda invocations and milliseconds, DynamoDB request units, bus events, state transitions,
 * Scheduler invocations, SES messages, HTTP requests — measured by {@code bin/bench-month}, in
 * {@code report/unit-costs.json}), times AWS's list prices ({@code report/aws-prices.json}).
 * Each journey and campaign is charged for its own emails, their SES events, and its entries or runs.
 */
public final class Bill {
    public static final List<String> OPERATIONS = List.of("event", "email", "sesEvent", "journeyEntry", "campaignRun");

    /** One line of the bill. */
    public record Line(String service, String what, double quantity, double unitPriceUsd, String unit, double usd) {}

    /** The bill of a date range: its lines, the operations counted, and the part of each journey and campaign. */
    public record Costs(List<Line> lines, Map<String, Long> counted, Map<String, Double> bySource) {
        public double total() {
            return lines.stream().mapToDouble(Line::usd).sum();
        }

        public double of(String source) {
            return bySource.getOrDefault(source, 0.0);
        }
    }

    /** What one operation uses, on average. */
    public record Usage(double lambdaInvocations, double lambdaMs, double readUnits, double writeUnits, double busEvents,
                        double transitions, double schedulerInvocations, double sesMessages, double httpRequests) {
        public static final Usage NONE = new Usage(0, 0, 0, 0, 0, 0, 0, 0, 0);

        public Usage plus(Usage o) {
            return new Usage(lambdaInvocations + o.lambdaInvocations, lambdaMs + o.lambdaMs, readUnits + o.readUnits, writeUnits + o.writeUnits,
                    busEvents + o.busEvents, transitions + o.transitions, schedulerInvocations + o.schedulerInvocations, sesMessages + o.sesMessages,
                    httpRequests + o.httpRequests);
        }

        public Usage times(double n) {
            return new Usage(lambdaInvocations * n, lambdaMs * n, readUnits * n, writeUnits * n, busEvents * n, transitions * n,
                    schedulerInvocations * n, sesMessages * n, httpRequests * n);
        }

        static Usage of(JsonNode n) {
            return new Usage(n.path("lambdaInvocations").asDouble(), n.path("lambdaMs").asDouble(), n.path("readUnits").asDouble(),
                    n.path("writeUnits").asDouble(), n.path("busEvents").asDouble(), n.path("transitions").asDouble(),
                    n.path("schedulerInvocations").asDouble(), n.path("sesMessages").asDouble(), n.path("httpRequests").asDouble());
        }
    }

    private final ReportStore store;
    private final EmailStats stats;
    private final JsonNode prices;
    private final Map<String, Usage> usage;
    private final double memoryGb;

    public Bill(ReportStore store, EmailStats stats) {
        this(store, stats, resource("report/aws-prices.json"), resource("report/unit-costs.json"));
    }

    /** The price list alone (with unit costs as shipped), to price what a benchmark measured. */
    public static Bill prices() {
        return new Bill(null, null);
    }

    Bill(ReportStore store, EmailStats stats, JsonNode prices, JsonNode unitCosts) {
        this.store = store;
        this.stats = stats;
        this.prices = prices;
        this.memoryGb = unitCosts.path("memoryGb").asDouble(1);
        Map<String, Usage> u = new LinkedHashMap<>();
        for (String op : OPERATIONS) u.put(op, Usage.of(unitCosts.path(op)));
        this.usage = u;
    }

    public Costs costs(String shopId, LocalDate from, LocalDate to) {
        return costs(shopId, from, to, stats.read(shopId, from, to));
    }

    /** The bill of a date range, with the range's email counters already read ({@link EmailStats#read}). */
    public Costs costs(String shopId, LocalDate from, LocalDate to, List<EmailStats.Row> emails) {
        Map<String, Long> counted = new LinkedHashMap<>();
        counted.put("event", ReportCounting.storedEvents(store, shopId, from, to));
        Map<String, Map<String, Long>> bySourceOps = new TreeMap<>();
        Set<String> runs = new HashSet<>();
        long textSegments = 0, textMicroUsd = 0;
        Map<String, Long> textMicroUsdBySource = new TreeMap<>();
        for (EmailStats.Row r : emails) {
            Map<String, Long> ops = bySourceOps.computeIfAbsent(r.key().source(), s -> new TreeMap<>());
            textSegments += r.counts().getOrDefault(EmailStats.TEXT + "segments", 0L);
            long textUsd = r.counts().getOrDefault(EmailStats.TEXT + "price_microusd", 0L);
            textMicroUsd += textUsd;
            if (textUsd > 0) textMicroUsdBySource.merge(r.key().source(), textUsd, Long::sum);
            if ("journey".equals(r.key().step())) {
                ops.merge("journeyEntry", r.counts().getOrDefault("entered", 0L), Long::sum);
                continue;
            }
            long sends = r.counts().getOrDefault("send", 0L);
            ops.merge("email", sends, Long::sum);
            // each of SES's events, the Send included (not the step's own arrivals and exits)
            long sesEvents = r.counts().entrySet().stream().filter(e -> !EmailStats.stepCounter(e.getKey()) && !e.getKey().startsWith(EmailStats.TEXT))
                    .mapToLong(Map.Entry::getValue).sum();
            ops.merge("sesEvent", sesEvents, Long::sum);
            if (r.key().source().startsWith("campaign:") && sends > 0 && runs.add(r.key().source() + "|" + r.key().step())) {
                ops.merge("campaignRun", 1L, Long::sum);
            }
        }
        for (String op : OPERATIONS.subList(1, OPERATIONS.size())) {
            counted.put(op, bySourceOps.values().stream().mapToLong(m -> m.getOrDefault(op, 0L)).sum());
        }
        Map<String, Double> bySource = new TreeMap<>();
        bySourceOps.forEach((source, ops) -> {
            if (source.startsWith("journey:") || source.startsWith("campaign:")) {
                bySource.put(source, lines(ops).stream().mapToDouble(Line::usd).sum() + textMicroUsdBySource.getOrDefault(source, 0L) / 1e6);
            }
        });
        List<Line> lines = new ArrayList<>(lines(counted));
        if (textSegments > 0) {
            // texts are priced by destination country and carrier, so by what AWS said each cost (its receipts), not by a list
            double usd = textMicroUsd / 1e6;
            lines.add(new Line("End User Messaging", "text segments, as priced in AWS's delivery receipts (carrier fees included)", textSegments,
                    usd / textSegments, "segment", usd));
            counted.put("textSegment", textSegments);
        }
        return new Costs(List.copyOf(lines), counted, bySource);
    }

    /** The bill of these operation counts, line by line. */
    public List<Line> lines(Map<String, Long> counted) {
        Usage total = Usage.NONE;
        for (Map.Entry<String, Long> c : counted.entrySet()) {
            Usage u = usage.get(c.getKey());
            if (u != null) total = total.plus(u.times(c.getValue()));
        }
        return lines(total);
    }

    /** The bill of what was used, line by line, at the list prices. */
    public List<Line> lines(Usage used) {
        List<Line> lines = new ArrayList<>();
        lines.add(line("Lambda", "requests", used.lambdaInvocations(), "lambdaRequest", "request"));
        lines.add(line("Lambda", "compute (" + memoryGb + " GB, arm64)", used.lambdaMs() / 1000 * memoryGb, "lambdaGbSecond", "GB-second"));
        lines.add(line("DynamoDB", "write request units", used.writeUnits(), "dynamodbWriteRequestUnit", "WRU"));
        lines.add(line("DynamoDB", "read request units", used.readUnits(), "dynamodbReadRequestUnit", "RRU"));
        lines.add(line("EventBridge", "events on the bus", used.busEvents(), "eventBridgeEvent", "event"));
        lines.add(line("Step Functions", "state transitions", used.transitions(), "stepFunctionsTransition", "transition"));
        lines.add(line("EventBridge Scheduler", "invocations", used.schedulerInvocations(), "schedulerInvocation", "invocation"));
        lines.add(line("SES", "emails", used.sesMessages(), "sesMessage", "message"));
        lines.add(line("API Gateway", "HTTP API requests", used.httpRequests(), "httpApiRequest", "request"));
        return lines;
    }

    private Line line(String service, String what, double quantity, String price, String unit) {
        double unitPrice = prices.path(price).asDouble();
        return new Line(service, what, Math.round(quantity * 100) / 100.0, unitPrice, unit, quantity * unitPrice);
    }

    private static JsonNode resource(String path) {
        try (InputStream in = Bill.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) throw new IllegalStateException(path + " is missing from the build");
            return Json.MAPPER.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
