package dev.kindling.report;

import static dev.kindling.report.Report.row;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kindling.clv.ClvModels;
import dev.kindling.email.ShopEmail;
import dev.kindling.engagement.EmailStats;
import dev.kindling.journey.flow.Flow;
import dev.kindling.journey.flow.Journeys;
import dev.kindling.json.Json;
import dev.kindling.scoring.ScoringModel;
import dev.kindling.segment.SegmentDefinition;
import dev.kindling.settings.ShopSettings;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The reports, each answered from the daily aggregates {@link ReportCounting} and the email
 * counters keep: a date range costs one Query per group it reads (its days' small items), never a
 * scan of contacts, orders or events.
 */
public final class Reports {
    public static final List<String> NAMES = List.of("overview", "revenue", "funnel", "loyalty", "email", "journeys", "campaigns", "segments", "cost", "clv");

    private final ReportStore store;
    private final EmailStats stats;
    private final ShopEmail email;
    private final ShopSettings settings;
    private final Bill bill;
    private final ClvModels clv;

    public Reports(ReportStore store, EmailStats stats, ShopEmail email, ShopSettings settings, Bill bill, ClvModels clv) {
        this.clv = clv;
        this.store = store;
        this.stats = stats;
        this.email = email;
        this.settings = settings;
        this.bill = bill;
    }

    public Report report(String name, String shopId, LocalDate from, LocalDate to) {
        return switch (name) {
            case "overview" -> overview(shopId, from, to);
            case "revenue" -> revenue(shopId, from, to);
            case "funnel" -> stages(shopId, from, to, ScoringModel.FUNNEL, "funnel");
            case "loyalty" -> loyalty(shopId, from, to);
            case "email" -> emailReport(shopId, from, to);
            case "journeys" -> sources(shopId, from, to, journeySources(shopId), "journeys");
            case "campaigns" -> sources(shopId, from, to, campaignSources(shopId), "campaigns");
            case "segments" -> segments(shopId, from, to);
            case "cost" -> cost(shopId, from, to);
            case "clv" -> clv(shopId);
            default -> throw new IllegalArgumentException("no report " + name);
        };
    }

    private ObjectNode range(LocalDate from, LocalDate to) {
        return Json.object().put("from", from.toString()).put("to", to.toString());
    }

    Report overview(String shopId, LocalDate from, LocalDate to) {
        List<ReportStore.Row> days = ReportCounting.shopDays(store, shopId, from, to);
        Map<String, BigDecimal> t = sum(days);
        ObjectNode body = range(from, to).put("currency", email.current(shopId).settings().currency());
        ObjectNode revenue = body.putObject("revenue");
        BigDecimal gross = t(t, "revenue"), refunded = t(t, "refunded"), orders = t(t, "orders");
        revenue.put("total", money(gross.subtract(refunded))).put("gross", money(gross)).put("refunded", money(refunded));
        body.set("otherCurrencies", otherCurrencies(t));
        ObjectNode attributed = revenue.putObject("attributed");
        for (Attribution.Model m : Attribution.Model.values()) attributed.put(m.name(), money(t(t, "attributed:" + m)));
        body.put("orders", orders.longValue()).put("averageOrderValue", money(ratio(gross.subtract(refunded), orders)));
        body.put("repeatPurchaseRate", rate(t(t, "repeat_orders"), t(t, "repeat_orders").add(t(t, "first_orders"))));
        body.put("newCustomers", t(t, "first_orders").longValue());
        BigDecimal sessions = t(t, "sessions");
        body.put("sessions", sessions.longValue()).put("addToCartRatio", rate(t(t, "carted_sessions"), sessions))
                .put("conversionRate", rate(orders, sessions)).put("productViews", t(t, "product_views").longValue())
                .put("addsToCart", t(t, "adds_to_cart").longValue()).put("checkouts", t(t, "checkouts").longValue());
        body.set("nps", nps(t));
        List<EmailStats.Row> emailRows = stats.read(shopId, from, to);
        body.set("email", emailRates(sumCounts(emailTotalsBySource(emailRows).values())));
        body.set("funnel", Json.MAPPER.valueToTree(stageCounts(shopId, ScoringModel.FUNNEL)));
        body.set("loyalty", Json.MAPPER.valueToTree(stageCounts(shopId, ScoringModel.LOYALTY)));
        // a row per day with anything to show: the shop's day item, SES's counts of the day, or both
        Map<LocalDate, Map<String, BigDecimal>> byDay = new TreeMap<>();
        days.forEach(d -> byDay.put(d.day(), d.amounts()));
        Map<LocalDate, List<EmailStats.Row>> emailByDay = new TreeMap<>();
        emailRows.forEach(r -> {
            emailByDay.computeIfAbsent(r.day(), x -> new ArrayList<>()).add(r);
            byDay.putIfAbsent(r.day(), Map.of());
        });
        List<List<Object>> rows = new ArrayList<>();
        byDay.forEach((day, a) -> {
            Map<String, Long> e = sumCounts(emailTotalsBySource(emailByDay.getOrDefault(day, List.of())).values());
            rows.add(row(day.toString(), t(a, "orders").longValue(), money(t(a, "revenue").subtract(t(a, "refunded"))),
                    money(t(a, "attributed:last")), t(a, "sessions").longValue(), t(a, "adds_to_cart").longValue(), t(a, "nps:responses").longValue(),
                    e.getOrDefault("send", 0L), e.getOrDefault("open", 0L), e.getOrDefault("click", 0L)));
        });
        return new Report(body, List.of("day", "orders", "revenue", "attributed", "sessions", "adds_to_cart", "nps_responses",
                "emails_sent", "opens", "clicks"), rows);
    }

    Report revenue(String shopId, LocalDate from, LocalDate to) {
        ObjectNode body = range(from, to).put("currency", email.current(shopId).settings().currency());
        Map<String, BigDecimal> t = sum(store.days(shopId, ReportCounting.SHOP, from, to));
        body.put("total", money(t(t, "revenue").subtract(t(t, "refunded"))));
        body.set("otherCurrencies", otherCurrencies(t));
        for (Attribution.Model m : Attribution.Model.values()) body.with("attributed").put(m.name(), money(t(t, "attributed:" + m)));
        List<List<Object>> rows = new ArrayList<>();
        Set<String> sources = new LinkedHashSet<>(journeySources(shopId));
        sources.addAll(campaignSources(shopId));
        emailTotalsBySource(stats.read(shopId, from, to)).keySet().forEach(sources::add);
        for (String source : sources) {
            Map<String, BigDecimal> a = sum(store.days(shopId, ReportCounting.attributionGroup(source), from, to));
            Map<String, BigDecimal[]> byKey = new TreeMap<>();
            a.forEach((name, value) -> {
                int cut = name.lastIndexOf('|');
                BigDecimal[] pair = byKey.computeIfAbsent(name.substring(0, cut), k -> new BigDecimal[] {BigDecimal.ZERO, BigDecimal.ZERO});
                if (name.endsWith("|revenue")) pair[0] = pair[0].add(value);
                else pair[1] = pair[1].add(value);
            });
            byKey.forEach((key, pair) -> {
                String[] parts = key.split("\\|", 3);
                rows.add(row(source, dash(parts[1]), dash(parts[2]), parts[0], pair[1].setScale(2, RoundingMode.HALF_EVEN), money(pair[0])));
            });
        }
        return new Report(body, List.of("source", "step", "variant", "model", "orders", "revenue"), rows);
    }

    private Report loyalty(String shopId, LocalDate from, LocalDate to) {
        Report stages = stages(shopId, from, to, ScoringModel.LOYALTY, "loyalty");
        Map<String, BigDecimal> t = sum(store.days(shopId, ReportCounting.SHOP, from, to));
        stages.body().set("nps", nps(t));
        // the shop's loyalty programme: referrals credited and refused (by why), tiers reached and lost, reward codes given
        ObjectNode programme = stages.body().putObject("programme");
        programme.put("referrals", t(t, "referrals").longValue()).put("referralRevenue", money(t(t, "referral_revenue")))
                .put("rewardsGiven", t(t, "loyalty_rewards").longValue());
        ObjectNode refused = programme.putObject("referralsRefused");
        ObjectNode reached = programme.putObject("tiersReached");
        ObjectNode lost = programme.putObject("tiersLost");
        t.forEach((k, v) -> {
            if (k.startsWith("referrals_refused:")) refused.put(k.substring("referrals_refused:".length()), v.longValue());
            if (k.startsWith("tier_reached:")) reached.put(k.substring("tier_reached:".length()), v.longValue());
            if (k.startsWith("tier_lost:")) lost.put(k.substring("tier_lost:".length()), v.longValue());
        });
        return stages;
    }

    /** Customers by stage now, who entered each stage in the range, and how many moved on to the next. */
    Report stages(String shopId, LocalDate from, LocalDate to, List<String> order, String name) {
        Map<String, BigDecimal> t = sum(store.days(shopId, ReportCounting.SHOP, from, to));
        Map<String, Long> now = stageCounts(shopId, order);
        ObjectNode body = range(from, to).put("report", name);
        List<List<Object>> rows = new ArrayList<>();
        for (int i = 0; i < order.size(); i++) {
            String stage = order.get(i);
            BigDecimal entered = t(t, "stage:" + stage);
            String next = i + 1 < order.size() ? order.get(i + 1) : (name.equals("loyalty") ? order.getFirst() : null);
            BigDecimal movedOn = next == null ? null : t(t, "move:" + stage + ">" + next);
            rows.add(row(stage, now.get(stage), entered.longValue(), next, movedOn == null ? null : movedOn.longValue(),
                    movedOn == null ? null : rate(movedOn, entered)));
        }
        Map<String, Long> moves = new TreeMap<>();
        t.forEach((k, v) -> { if (k.startsWith("move:")) moves.put(k.substring(5), v.longValue()); });
        body.set("moves", Json.MAPPER.valueToTree(moves));
        return new Report(body, List.of("stage", "now", "entered", "next", "moved_to_next", "conversion"), rows);
    }

    private Map<String, Long> stageCounts(String shopId, List<String> order) {
        Map<String, BigDecimal> total = store.total(shopId, ReportCounting.STAGES);
        Map<String, Long> counts = new LinkedHashMap<>();
        for (String stage : order) counts.put(stage, t(total, stage).longValue());
        return counts;
    }

    Report emailReport(String shopId, LocalDate from, LocalDate to) {
        Map<EmailStats.Key, Map<String, Long>> byKey = new TreeMap<>(Comparator.comparing((EmailStats.Key k) -> k.source())
                .thenComparing(k -> String.valueOf(k.step())).thenComparing(k -> String.valueOf(k.variant())));
        for (EmailStats.Row r : stats.read(shopId, from, to)) {
            if ("journey".equals(r.key().step())) continue; // a journey's own counters (entered, holdout …), not SES events
            r.counts().forEach((k, v) -> byKey.computeIfAbsent(r.key(), x -> new TreeMap<>()).merge(k, v, Long::sum));
        }
        List<List<Object>> rows = new ArrayList<>();
        Map<String, Long> all = new TreeMap<>();
        byKey.forEach((key, counts) -> {
            counts.forEach((k, v) -> all.merge(k, v, Long::sum));
            ObjectNode r = emailRates(counts);
            rows.add(row(key.source(), key.step(), key.variant(), r.path("sent").asLong(), r.path("delivered").asLong(), r.path("opens").asLong(),
                    r.path("clicks").asLong(), r.path("openRate").asDouble(), r.path("clickRate").asDouble(), r.path("clickToOpenRate").asDouble(),
                    r.path("unsubscribes").asLong(), r.path("bounceRate").asDouble(), r.path("complaintRate").asDouble()));
        });
        ObjectNode body = range(from, to);
        body.set("total", emailRates(all));
        return new Report(body, List.of("source", "step", "variant", "sent", "delivered", "opens", "clicks", "open_rate", "click_rate",
                "click_to_open_rate", "unsubscribes", "bounce_rate", "complaint_rate"), rows);
    }

    /** Journeys or campaigns: emails and their rates, attributed revenue by model, the holdout's lift, what they cost, and the ROI. */
    Report sources(String shopId, LocalDate from, LocalDate to, List<String> sources, String name) {
        List<EmailStats.Row> emailRows = stats.read(shopId, from, to); // read once: for the rates and for the cost
        Map<String, Map<String, Long>> emails = emailTotalsBySource(emailRows);
        ObjectNode body = range(from, to).put("report", name);
        List<List<Object>> rows = new ArrayList<>();
        Bill.Costs costs = bill.costs(shopId, from, to, emailRows);
        for (String source : sources) {
            Map<String, Long> counts = emails.getOrDefault(source, Map.of());
            ObjectNode rates = emailRates(counts);
            Map<String, BigDecimal> a = sum(store.days(shopId, ReportCounting.attributionGroup(source), from, to));
            Map<String, BigDecimal> byModel = new TreeMap<>();
            Map<String, BigDecimal> ordersByModel = new TreeMap<>();
            a.forEach((k, v) -> (k.endsWith("|revenue") ? byModel : ordersByModel).merge(k.substring(0, k.indexOf('|')), v, BigDecimal::add));
            Lift lift = Lift.of(sum(store.days(shopId, ReportCounting.liftGroup(source), from, to)));
            double cost = costs.of(source);
            BigDecimal last = t(byModel, "last");
            ObjectNode entry = body.with("sources").putObject(source);
            entry.set("email", rates);
            for (Attribution.Model m : Attribution.Model.values()) {
                entry.with("attributed").putObject(m.name()).put("revenue", money(t(byModel, m.name())))
                        .put("orders", t(ordersByModel, m.name()).setScale(2, RoundingMode.HALF_EVEN));
            }
            if (lift.treated() + lift.heldOut() > 0) entry.set("lift", Json.MAPPER.valueToTree(lift));
            entry.put("costUsd", cost).put("roi", cost > 0 ? last.doubleValue() / cost : null);
            boolean held = lift.treated() + lift.heldOut() > 0; // no holdout: no lift to show
            rows.add(row(source, rates.path("sent").asLong(), rates.path("openRate").asDouble(), rates.path("clickRate").asDouble(),
                    money(last), money(t(byModel, "first")), money(t(byModel, "linear")), held ? lift.treated() : null, held ? lift.heldOut() : null,
                    held ? lift.conversionLift().estimate() : null, lift.conversionLift().low(), lift.conversionLift().high(),
                    held ? lift.incrementalRevenue().estimate() : null, lift.incrementalRevenue().low(), lift.incrementalRevenue().high(),
                    cost, cost > 0 ? last.doubleValue() / cost : null));
        }
        return new Report(body, List.of("source", "sent", "open_rate", "click_rate", "revenue_last", "revenue_first", "revenue_linear",
                "treated", "held_out", "conversion_lift", "conversion_lift_low", "conversion_lift_high", "incremental_revenue",
                "incremental_revenue_low", "incremental_revenue_high", "cost_usd", "roi"), rows);
    }

    /** Per segment: members now, who entered and left in the range, and its members' orders (orders per member: the conversion). */
    Report segments(String shopId, LocalDate from, LocalDate to) {
        Map<String, BigDecimal> members = store.total(shopId, ReportCounting.SEGMENTS);
        List<List<Object>> rows = new ArrayList<>();
        for (SegmentDefinition segment : settings.current(shopId).segments().all()) {
            Map<String, BigDecimal> s = sum(store.days(shopId, ReportCounting.segmentGroup(segment.id()), from, to));
            BigDecimal n = t(members, ReportCounting.memberCount(segment.id(), segment.createdAt()));
            rows.add(row(segment.id(), segment.name(), n.longValue(), t(s, "entered").longValue(), t(s, "exited").longValue(),
                    t(s, "orders").longValue(), money(t(s, "revenue")), rate(t(s, "orders"), n)));
        }
        return new Report(range(from, to), List.of("segment", "name", "members", "entered", "exited", "orders", "revenue", "orders_per_member"), rows);
    }

    Report cost(String shopId, LocalDate from, LocalDate to) {
        Bill.Costs costs = bill.costs(shopId, from, to);
        ObjectNode body = range(from, to).put("totalUsd", costs.total());
        body.set("counted", Json.MAPPER.valueToTree(costs.counted()));
        body.set("bySource", Json.MAPPER.valueToTree(costs.bySource()));
        // the same shop on Klaviyo: its profiles (everyone with a funnel or loyalty stage) priced by its email plan's tiers
        long profiles = store.total(shopId, ReportCounting.STAGES).values().stream().mapToLong(BigDecimal::longValue).sum();
        body.set("klaviyo", Json.MAPPER.valueToTree(KlaviyoPrice.monthly(profiles)));
        List<List<Object>> rows = new ArrayList<>();
        costs.lines().forEach(line -> rows.add(row(line.service(), line.what(), line.quantity(), line.unitPriceUsd(), line.unit(), line.usd())));
        return new Report(body, List.of("service", "what", "quantity", "unit_price_usd", "unit", "usd"), rows);
    }

    /** The shop's lifetime-value model as last fitted (one item): its parameters, and what it predicts for the customers. */
    Report clv(String shopId) {
        ObjectNode body = Json.object();
        List<List<Object>> rows = new ArrayList<>();
        var fitted = clv.get(shopId);
        if (fitted.isEmpty()) {
            body.put("basis", "not fitted yet: predictions use the model's priors (the daily refresh fits it)");
            body.set("model", Json.MAPPER.valueToTree(ClvModels.PRIORS));
        } else {
            ClvModels.Fitted f = fitted.get();
            body.put("basis", "fitted on " + f.model().customers() + " customers (" + f.model().repeatCustomers() + " ordered again) at " + f.model().fittedAt());
            body.set("model", Json.MAPPER.valueToTree(f.model()));
            body.put("predictedRevenueNext12Months", Math.round(f.predictedRevenue() * 100) / 100.0)
                    .put("expectedActiveCustomers", Math.round(f.activeCustomers())).put("fitMillis", f.fitMillis());
            for (int d = 0; d < f.deciles().size(); d++) rows.add(row((d + 1) * 10, f.deciles().get(d)));
        }
        return new Report(body, List.of("percentile", "predicted_clv"), rows);
    }

    private List<String> journeySources(String shopId) {
        return Journeys.all(email.current(shopId).journeys()).stream().map(Flow::id).map(id -> "journey:" + id).toList();
    }

    private List<String> campaignSources(String shopId) {
        return email.current(shopId).campaigns().keySet().stream().sorted().map(id -> "campaign:" + id).toList();
    }

    /** SES's counts per source, leaving out the journeys' own counters (entered, holdout …). */
    static Map<String, Map<String, Long>> emailTotalsBySource(List<EmailStats.Row> emailRows) {
        Map<String, Map<String, Long>> out = new TreeMap<>();
        for (EmailStats.Row r : emailRows) {
            if ("journey".equals(r.key().step())) continue;
            r.counts().forEach((k, v) -> out.computeIfAbsent(r.key().source(), x -> new TreeMap<>()).merge(k, v, Long::sum));
        }
        return out;
    }

    private static Map<String, Long> sumCounts(Collection<Map<String, Long>> bySource) {
        Map<String, Long> all = new TreeMap<>();
        bySource.forEach(counts -> counts.forEach((k, v) -> all.merge(k, v, Long::sum)));
        return all;
    }

    /** SES's counts (send, delivery, open, click, bounce, complaint; unique per message) and their rates. */
    static ObjectNode emailRates(Map<String, Long> c) {
        long sent = c.getOrDefault("send", 0L), delivered = c.getOrDefault("delivery", 0L);
        long opens = c.getOrDefault("open", 0L), clicks = c.getOrDefault("click", 0L);
        long unsubscribes = c.getOrDefault("unsubscribe", 0L) + c.getOrDefault("subscription", 0L);
        long bounces = c.getOrDefault("bounce", 0L), complaints = c.getOrDefault("complaint", 0L);
        return Json.object().put("sent", sent).put("delivered", delivered).put("opens", opens).put("clicks", clicks)
                .put("unsubscribes", unsubscribes).put("bounces", bounces).put("complaints", complaints)
                .put("deliveryRate", rate(delivered, sent)).put("openRate", rate(opens, delivered)).put("clickRate", rate(clicks, delivered))
                .put("clickToOpenRate", rate(clicks, opens)).put("unsubscribeRate", rate(unsubscribes, delivered))
                .put("bounceRate", rate(bounces, sent)).put("complaintRate", rate(complaints, delivered));
    }

    /** Net Promoter Score: the percentage of promoters (9–10) minus that of detractors (0–6). */
    private static ObjectNode nps(Map<String, BigDecimal> t) {
        long responses = t(t, "nps:responses").longValue();
        long promoters = t(t, "nps:promoters").longValue(), detractors = t(t, "nps:detractors").longValue();
        ObjectNode nps = Json.object().put("responses", responses).put("promoters", promoters)
                .put("passives", t(t, "nps:passives").longValue()).put("detractors", detractors);
        if (responses > 0) nps.put("score", Math.round(100.0 * (promoters - detractors) / responses));
        else nps.putNull("score");
        return nps;
    }

    static Map<String, BigDecimal> sum(List<ReportStore.Row> rows) {
        Map<String, BigDecimal> total = new TreeMap<>();
        rows.forEach(r -> r.amounts().forEach((k, v) -> total.merge(k, v, BigDecimal::add)));
        return total;
    }

    /**
     * Orders in another currency than the shop's, each currency apart ({@code {"EUR": {orders, revenue, refunded}}}):
     * money is never summed across currencies, so these stay out of every figure in the shop's currency.
     */
    private static ObjectNode otherCurrencies(Map<String, BigDecimal> t) {
        ObjectNode out = Json.object();
        t.keySet().stream().filter(k -> k.startsWith("revenue:")).map(k -> k.substring("revenue:".length())).sorted().forEach(currency -> {
            BigDecimal gross = t(t, "revenue:" + currency), refunded = t(t, "refunded:" + currency);
            out.putObject(currency).put("orders", t(t, "orders:" + currency).longValue()).put("revenue", money(gross.subtract(refunded)))
                    .put("refunded", money(refunded));
        });
        return out;
    }

    private static BigDecimal t(Map<String, BigDecimal> amounts, String name) {
        return amounts.getOrDefault(name, BigDecimal.ZERO);
    }

    private static BigDecimal money(BigDecimal amount) {
        return amount.setScale(2, RoundingMode.HALF_EVEN);
    }

    private static BigDecimal ratio(BigDecimal a, BigDecimal b) {
        return b.signum() == 0 ? BigDecimal.ZERO : a.divide(b, 4, RoundingMode.HALF_EVEN);
    }

    private static double rate(BigDecimal a, BigDecimal b) {
        return b.signum() == 0 ? 0 : a.divide(b, 4, RoundingMode.HALF_EVEN).doubleValue();
    }

    private static double rate(long a, long b) {
        return b == 0 ? 0 : Math.round(10000.0 * a / b) / 10000.0;
    }

    private static String dash(String part) {
        return "-".equals(part) ? null : part;
    }
}
