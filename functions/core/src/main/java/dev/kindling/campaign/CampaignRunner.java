package dev.kindling.campaign;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kindling.campaign.CampaignRuns.Lane;
import dev.kindling.campaign.CampaignRuns.Phase;
import dev.kindling.campaign.CampaignRuns.Run;
import dev.kindling.campaign.CampaignRuns.Status;
import dev.kindling.contact.Contact;
import dev.kindling.contact.ContactStore;
import dev.kindling.email.EmailTemplate;
import dev.kindling.email.ShopEmail;
import dev.kindling.engagement.BestTime;
import dev.kindling.engagement.EmailStats;
import dev.kindling.event.BusEvent;
import dev.kindling.event.EventPublisher;
import dev.kindling.journey.flow.Buckets;
import dev.kindling.json.Json;
import dev.kindling.lazy.Lazy;
import dev.kindling.segment.Condition;
import dev.kindling.segment.Evaluator;
import dev.kindling.segment.Facts;
import dev.kindling.segment.MembershipStore;
import dev.kindling.report.ReportCounting;
import dev.kindling.send.EmailSending;
import dev.kindling.send.MessageRecord;
import dev.kindling.send.SendRequest;
import dev.kindling.send.SendResult;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BooleanSupplier;

/**
 * Runs a campaign: reads its audience at the run's time, a page of segment members at a time, and sends each member
 * the campaign's email through the one send path. The send's idempotency key is the campaign, the run and the contact,
 * so a schedule that fires twice, a worker retried after a crash, or two workers at once send each person one email per
 * run. The run is written after every page (where the next page starts, what happened so far), and a worker whose time
 * runs out hands the run on through the bus ({@code Campaign Run Requested}): a run of a million recipients is a chain
 * of workers, each going on from the last page written.
 *
 * <p>With an A/B test the first pass sends the variants to the test slice and schedules the decision; the decision
 * ({@link WinnerChoice}) is written on the run, and a second pass sends the winner to everyone else.
 */
public final class CampaignRunner {
    public static final String SOURCE = "kindling.campaigns";
    public static final String RUN_REQUESTED = "Campaign Run Requested";
    static final int PAGE = 100;
    /**
     * How long a worker holds a run past its last written page before another may take it over. Each page renews it (a
     * page of {@value #PAGE} takes 7 s at 14 emails/s); a worker that died is taken over by Lambda's second asynchronous
     * retry, about 3 minutes after the failure, so the lease is shorter than that.
     */
    static final Duration LEASE = Duration.ofMinutes(2);
    static final int SENDERS = 16;
    /**
     * Daemon threads, made on the first run (a function that never runs a campaign never starts them), {@value #SENDERS}
     * for each worker sending at once. On AWS a worker is alone in its Lambda, so that is {@value #SENDERS}; the local
     * runtime works a run's lanes side by side in one JVM, and each has its own senders there too, not a share of one
     * worker's.
     */
    private final Lazy<ExecutorService> senders = Lazy.of(() ->
            Executors.newCachedThreadPool(r -> {
                Thread t = new Thread(r, "campaign-sender");
                t.setDaemon(true);
                return t;
            }));
    private static final DateTimeFormatter RUN_ID = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmm'Z'").withZone(ZoneOffset.UTC);

    private final ShopEmail email;
    private final ReportCounting reports;
    private final MembershipStore memberships;
    private final ContactStore contacts;
    private final EmailSending sending;
    private final EmailStats stats;
    private final CampaignRuns runs;
    private final CampaignSchedules schedules;
    private final EventPublisher bus;
    private final Clock clock;

    public CampaignRunner(ShopEmail email, MembershipStore memberships, ContactStore contacts, EmailSending sending, EmailStats stats,
                          CampaignRuns runs, CampaignSchedules schedules, EventPublisher bus, ReportCounting reports, Clock clock) {
        this.reports = reports;
        this.email = email;
        this.memberships = memberships;
        this.contacts = contacts;
        this.sending = sending;
        this.stats = stats;
        this.runs = runs;
        this.schedules = schedules;
        this.bus = bus;
        this.clock = clock;
    }

    /** The run a firing due at {@code at} stands for: the same time always names the same run. */
    public static String runId(Instant at) {
        return RUN_ID.format(at.truncatedTo(ChronoUnit.MINUTES));
    }

    /**
     * What a worker did with a run. {@code busy}: another worker holds it (its lease has not run out), so this invocation
     * should fail and be retried after the lease.
     */
    public record Outcome(String runId, Phase phase, Status status, Map<String, Long> counts, boolean handedOn, boolean busy, String note) {
        Outcome(String runId, Phase phase, Status status, Map<String, Long> counts, boolean handedOn, String note) {
            this(runId, phase, status, counts, handedOn, false, note);
        }
    }

    /**
     * Runs (or goes on with) the run of a firing due at {@code dueAt}, while {@code timeLeft} says the worker may go on.
     * A run that exists is continued where it was written, never started again.
     */
    public Outcome run(String shopId, String campaignId, Instant dueAt, BooleanSupplier timeLeft) {
        return run(shopId, campaignId, dueAt, null, timeLeft);
    }

    /**
     * As above, for one lane of the run ({@code lane}; null: the run as a whole, which asks for its other lanes' workers on
     * the bus and works its first lane itself).
     */
    public Outcome run(String shopId, String campaignId, Instant dueAt, Integer lane, BooleanSupplier timeLeft) {
        String runId = runId(dueAt);
        ShopEmail.Snapshot snapshot = email.current(shopId);
        JsonNode doc = snapshot.campaigns().get(campaignId);
        if (doc == null) return new Outcome(runId, null, null, Map.of(), false, "no campaign " + campaignId);
        Campaign campaign = CampaignParser.stored(campaignId, doc);
        Optional<Run> existing = runs.get(shopId, campaignId, runId);
        if (existing.isEmpty()) {
            Optional<Status> state = runs.state(shopId, campaignId);
            if (state.isPresent() && state.get() == Status.cancelled) return new Outcome(runId, null, Status.cancelled, Map.of(), false, "the campaign is cancelled");
            if (!campaign.enabled()) return new Outcome(runId, null, null, Map.of(), false, "the campaign is switched off");
            if (campaign.schedule().until() != null && dueAt.isAfter(campaign.schedule().until())) {
                return new Outcome(runId, null, null, Map.of(), false, "the campaign ended " + campaign.schedule().until());
            }
            Instant now = clock.instant();
            Run fresh = Run.started(campaignId, runId, campaign.test() != null ? Phase.test : Phase.send, dueAt, now, lanes(sending.pace(campaign.channel())));
            if (!runs.create(shopId, fresh)) existing = runs.get(shopId, campaignId, runId);
            else existing = Optional.of(fresh);
        }
        return lane != null ? go(shopId, campaign, existing.orElseThrow(), lane, timeLeft) : fanOut(shopId, campaign, existing.orElseThrow(), timeLeft);
    }

    /**
     * A run as a whole: a worker for each of its lanes not through yet (the bus asks CampaignFunction for each; on AWS each is
     * a Lambda of its own, so a run's sending is as parallel as its lanes), the first of them worked here.
     */
    private Outcome fanOut(String shopId, Campaign campaign, Run run, BooleanSupplier timeLeft) {
        List<Lane> lanes = run.laneList();
        List<BusEvent> others = new ArrayList<>();
        for (int i = 1; i < lanes.size(); i++) if (!lanes.get(i).done()) others.add(request(shopId, campaign.id(), run, i, clock.instant()));
        // a paused run resumed goes on in every lane it has left, as a running one does
        boolean sending = run.phase() == Phase.test || run.phase() == Phase.send;
        if (!others.isEmpty() && sending && (run.status() == Status.running || run.status() == Status.paused)) bus.publish(others);
        return go(shopId, campaign, run, 0, timeLeft);
    }

    /**
     * Parallel workers a run takes at this pace (messages a second; null: unpaced, one): one per {@value #LANE_RATE} a
     * second, as a power of two (lanes share the member lists' shards evenly), at most {@link MembershipStore#MAX_LANES}.
     * A worker's {@value #SENDERS} senders at {@value #LANE_RATE} a second leave each send 320 ms, several times what one
     * takes; 1,000 a second is sixteen workers.
     */
    static int lanes(Double pace) {
        if (pace == null) return 1;
        int lanes = 1;
        while (lanes < MembershipStore.MAX_LANES && lanes * LANE_RATE < pace) lanes *= 2;
        return lanes;
    }

    /** The messages a second one lane's worker is given to send. */
    static final int LANE_RATE = 50;

    /** Decides an A/B test whose time is up (once: a decided run goes on sending), then sends the winner to the rest. */
    public Outcome decide(String shopId, String campaignId, String runId, BooleanSupplier timeLeft) {
        JsonNode doc = email.current(shopId).campaigns().get(campaignId);
        Optional<Run> found = runs.get(shopId, campaignId, runId);
        if (doc == null || found.isEmpty()) return new Outcome(runId, null, null, Map.of(), false, "no run " + runId + " of campaign " + campaignId);
        Campaign campaign = CampaignParser.stored(campaignId, doc);
        Run run = found.get();
        if (run.phase() == Phase.testing) {
            if (campaign.test() == null) throw new IllegalStateException("campaign " + campaignId + " has no test, but run " + runId + " waits for one");
            Campaign.Test test = campaign.test();
            WinnerChoice.Decision decision = test.metric() == Campaign.Metric.revenue
                    ? WinnerChoice.decideByRevenue(arms(shopId, campaign, run), test.probability(), test.minPerVariant())
                    : WinnerChoice.decide(arms(shopId, campaign, run), test.probability(), test.minPerVariant());
            ObjectNode written = Json.MAPPER.valueToTree(decision);
            written.put("metric", campaign.test().metric().name()).put("decidedAt", clock.instant().toString());
            Run decided = run.with(Phase.send, Status.running, null, run.counts(), run.sentByVariant(), null, clock.instant()).decided(written)
                    .withLanes(run.laneList().stream().map(Lane::nextPhase).toList());
            if (!runs.update(shopId, decided)) return new Outcome(runId, run.phase(), run.status(), run.counts(), false, "another worker decided it");
            run = decided.withVersion(run.version() + 1);
        }
        return fanOut(shopId, campaign, run, timeLeft);
    }

    /**
     * Each variant's recipients (the run's own count) and unique opens or clicks (the SES events' counters for the run), or
     * the orders and revenue the last touch credited to it (the reports' attribution, where a redeemed coupon code counts).
     */
    private List<WinnerChoice.Arm> arms(String shopId, Campaign campaign, Run run) {
        LocalDate from = LocalDate.ofInstant(run.startedAt(), ZoneOffset.UTC);
        LocalDate to = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
        Campaign.Metric metric = campaign.test().metric();
        if (metric == Campaign.Metric.conversions || metric == Campaign.Metric.revenue) {
            Map<String, ReportCounting.Credited> credited = reports.creditedByVariant(shopId, "campaign:" + campaign.id(), run.runId(), from, to);
            List<WinnerChoice.Arm> arms = new ArrayList<>();
            for (Campaign.Variant v : campaign.variants()) {
                ReportCounting.Credited c = credited.getOrDefault(v.id(), new ReportCounting.Credited(BigDecimal.ZERO, BigDecimal.ZERO));
                // an order credited in shares (linear) is whole under last touch: rounding only mends decimal dust
                arms.add(new WinnerChoice.Arm(v.id(), run.sentByVariant().getOrDefault(v.id(), 0L), c.orders().setScale(0, RoundingMode.HALF_UP).longValue(),
                        c.revenue().doubleValue()));
            }
            return arms;
        }
        String event = metric == Campaign.Metric.opens ? "open" : "click";
        Map<String, Long> successes = new LinkedHashMap<>();
        for (EmailStats.Row row : stats.read(shopId, from, to)) {
            if (row.key().source().equals("campaign:" + campaign.id()) && run.runId().equals(row.key().step()) && row.key().variant() != null) {
                successes.merge(row.key().variant(), row.counts().getOrDefault(event, 0L), Long::sum);
            }
        }
        List<WinnerChoice.Arm> arms = new ArrayList<>();
        for (Campaign.Variant v : campaign.variants()) {
            arms.add(new WinnerChoice.Arm(v.id(), run.sentByVariant().getOrDefault(v.id(), 0L), successes.getOrDefault(v.id(), 0L)));
        }
        return arms;
    }

    /**
     * Works one lane of the run: takes its lease, sends page after page of the lane's share of the audience, writes the lane
     * after each (its cursor, counts and lease; the run's counts are the lanes' sums), and hands it on through the bus when
     * the worker's time runs out. The lane that finishes last finishes the phase: the test slice's decision scheduled, or
     * the run done.
     */
    private Outcome go(String shopId, Campaign campaign, Run run, int laneIndex, BooleanSupplier timeLeft) {
        if (run.status() == Status.done || run.status() == Status.cancelled || run.phase() == Phase.testing || run.phase() == Phase.done) {
            return new Outcome(run.runId(), run.phase(), run.status(), run.counts(), false, "nothing to do: the run is " + run.status() + " (" + run.phase() + ")");
        }
        if (laneIndex < 0 || laneIndex >= run.laneList().size()) {
            return new Outcome(run.runId(), run.phase(), run.status(), run.counts(), false, "the run has no lane " + laneIndex);
        }
        Lane lane = run.laneList().get(laneIndex);
        if (lane.done()) return new Outcome(run.runId(), run.phase(), run.status(), run.counts(), false, "lane " + laneIndex + " is through");
        Instant now = clock.instant();
        if (lane.leaseUntil() != null && lane.leaseUntil().isAfter(now) && run.status() == Status.running) {
            // another worker holds it; it hands on or its lease runs out and a retry takes over
            return new Outcome(run.runId(), run.phase(), run.status(), run.counts(), false, true, "another worker holds lane " + laneIndex + " until " + lane.leaseUntil());
        }
        String me = java.util.UUID.randomUUID().toString();
        Optional<Run> taken = writeLane(shopId, run, laneIndex, null, r -> r.with(r.phase(), Status.running, r.cursor(), r.counts(), r.sentByVariant(), r.leaseUntil(), clock.instant()),
                l -> new Lane(l.cursor(), l.counts(), l.sentByVariant(), clock.instant().plus(LEASE), me, false), lane);
        if (taken.isEmpty()) return new Outcome(run.runId(), run.phase(), run.status(), run.counts(), false, "another worker took lane " + laneIndex);
        Run held = taken.get();
        int lanes = held.laneList().size();
        Map<String, Long> counts = new LinkedHashMap<>(lane.counts());
        Map<String, Long> sent = new LinkedHashMap<>(lane.sentByVariant());
        String winner = held.decision() == null ? null : held.decision().path("winner").asText(null);
        // a campaign in each contact's zone: its stated time, and for one at each contact's best time the shop's curve, read
        // once for the whole pass
        Timing stated = campaign.schedule().contactZone() ? new Timing(ScheduleExpression.parse(campaign.schedule().expression(), ZoneOffset.UTC),
                campaign.schedule().bestTime() == null ? null : reports.shop(shopId)) : null;
        ObjectNode context = context(campaign, held, previousRunAt(shopId, campaign.id(), held));
        String cursor = lane.cursor();
        while (true) {
            Optional<Status> state = runs.state(shopId, campaign.id());
            if (state.isPresent() && state.get() != Status.running) {
                String at = cursor;
                writeLane(shopId, held, laneIndex, me, r -> r.with(r.phase(), state.get(), r.cursor(), r.counts(), r.sentByVariant(), r.leaseUntil(), clock.instant()),
                        l -> new Lane(at, counts, sent, null, null, false), null);
                return new Outcome(held.runId(), held.phase(), state.get(), counts, false, "the campaign is " + state.get());
            }
            Page page = page(shopId, campaign, cursor, laneIndex, lanes);
            sendPage(shopId, campaign, held, page, winner, stated, context, counts, sent);
            cursor = page.next();
            if (cursor == null) break;
            String at = cursor;
            boolean goOn = timeLeft.getAsBoolean();
            Optional<Run> progress = writeLane(shopId, held, laneIndex, me, r -> r.with(r.phase(), r.status(), r.cursor(), r.counts(), r.sentByVariant(), r.leaseUntil(), clock.instant()),
                    l -> new Lane(at, counts, sent, goOn ? clock.instant().plus(LEASE) : null, goOn ? me : null, false), null);
            if (progress.isEmpty()) return new Outcome(held.runId(), held.phase(), held.status(), counts, false, "another worker took lane " + laneIndex);
            held = progress.get();
            if (!goOn) {
                bus.publish(List.of(request(shopId, campaign.id(), held, laneIndex, clock.instant())));
                return new Outcome(held.runId(), held.phase(), Status.running, counts, true, "handed on at " + cursor);
            }
        }
        Phase phase = held.phase();
        Instant decideAt = phase == Phase.test ? held.startedAt().plus(campaign.test().after()) : null;
        // the last lane through finishes the phase
        Optional<Run> through = writeLane(shopId, held, laneIndex, me, r -> {
            boolean allThrough = r.laneList().stream().allMatch(Lane::done);
            if (!allThrough) return r.with(r.phase(), r.status(), r.cursor(), r.counts(), r.sentByVariant(), r.leaseUntil(), clock.instant());
            if (phase == Phase.test) {
                // the decision's schedule before the run waits for it (made once: its name is the run's; a write retried makes
                // it again, which is nothing): a schedule that cannot be made fails this worker with the lane not through, and
                // its retry makes it; the other order left a run waiting for a decision nothing would ever ask for
                schedules.once(shopId, campaign.id(), r.runId(), decideAt);
                // a run in its test phase has no decision yet: it is made when decideAt comes
                return r.with(Phase.testing, Status.running, null, r.counts(), r.sentByVariant(), null, clock.instant()).decidingAt(decideAt);
            }
            return r.with(Phase.done, Status.done, null, r.counts(), r.sentByVariant(), null, clock.instant());
        }, l -> new Lane(null, counts, sent, null, null, true), null);
        if (through.isEmpty()) return new Outcome(held.runId(), held.phase(), held.status(), counts, false, "another worker took lane " + laneIndex);
        Run after = through.get();
        if (after.phase() == Phase.testing) {
            return new Outcome(after.runId(), Phase.testing, Status.running, after.counts(), false, "the test slice has it; the winner is chosen at " + decideAt);
        }
        if (after.phase() == Phase.done) return new Outcome(after.runId(), Phase.done, Status.done, after.counts(), false, "done");
        return new Outcome(after.runId(), after.phase(), after.status(), counts, false, "lane " + laneIndex + " is through; others go on");
    }

    /**
     * Writes lane {@code index} as {@code lane} makes it and the run as {@code run} makes it (its counts the lanes' sums),
     * reading the run again after a write of another lane came first; empty when the lane is no longer this worker's
     * ({@code holder}; null: the lane must still be as {@code expected} was read, to be taken).
     */
    private Optional<Run> writeLane(String shopId, Run read, int index, String holder, java.util.function.UnaryOperator<Run> run,
                                    java.util.function.UnaryOperator<Lane> lane, Lane expected) {
        Run current = read;
        for (int attempt = 0; attempt < 100; attempt++) {
            Lane now = current.laneList().get(index);
            boolean ours = holder != null ? holder.equals(now.holder()) : now.equals(expected);
            if (!ours) return Optional.empty();
            List<Lane> lanes = new ArrayList<>(current.laneList());
            lanes.set(index, lane.apply(now));
            Run next = run.apply(current.withLanes(lanes));
            if (runs.update(shopId, next)) return Optional.of(next.withVersion(current.version() + 1));
            Optional<Run> again = runs.get(shopId, current.campaignId(), current.runId());
            if (again.isEmpty()) return Optional.empty();
            current = again.get();
            dev.kindling.retry.Backoff.pause(attempt, 1, 50, "campaign run");
        }
        throw new IllegalStateException("run " + read.runId() + " kept changing under lane " + index);
    }

    /**
     * Sends a page's emails {@value #SENDERS} at a time: one send waits on several DynamoDB calls and SES, so one sender
     * alone would fall short of most accounts' rate; the send slots keep the whole run (and everything else the account
     * sends) under the rate however many send at once. The page is over when every one of its sends is.
     */
    private void sendPage(String shopId, Campaign campaign, Run run, Page page, String winner, Timing stated, ObjectNode context, Map<String, Long> counts,
                          Map<String, Long> sent) {
        Map<String, Long> pageCounts = new ConcurrentHashMap<>();
        Map<String, Long> pageSent = new ConcurrentHashMap<>();
        EmailStats.Sends emails = new EmailStats.Sends();
        // each sender takes the page's next member until none is left; one whose send failed stops, and the others go on
        Queue<MembershipStore.Member> left = new ConcurrentLinkedQueue<>(page.members());
        List<Future<?>> sends = new ArrayList<>();
        for (int i = 0; i < Math.min(SENDERS, page.members().size()); i++) {
            sends.add(senders.get().submit(() -> {
                for (MembershipStore.Member m; (m = left.poll()) != null; ) {
                    pageCounts.merge(recipient(shopId, campaign, run, page.segment(), m.contactId(), winner, stated, context, pageSent, emails),
                            1L, Long::sum);
                }
                return null;
            }));
        }
        for (var send : sends) {
            try {
                send.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while sending campaign " + campaign.id(), e);
            } catch (ExecutionException failed) {
                // the page is written only when all of it is done: the next worker sends it again, each person once (the key)
                throw new IllegalStateException("a send of campaign " + campaign.id() + " failed: " + failed.getCause(), failed.getCause());
            }
        }
        // the page's emails counted in one write (each was one on its send's path)
        emails.addTo(stats, shopId);
        pageCounts.forEach((k, v) -> counts.merge(k, v, Long::sum));
        pageSent.forEach((k, v) -> sent.merge(k, v, Long::sum));
    }

    /** The bus event that asks CampaignFunction to go on with a run (handed on, or resumed): the request a schedule sends. */
    public static BusEvent request(String shopId, String campaignId, Run run, Instant at) {
        ObjectNode r = Json.object().put("shop", shopId).put("campaign", campaignId).put("run", run.runId());
        if (run.phase() == Phase.test || run.phase() == Phase.send) r.put("scheduledTime", run.startedAt().toString());
        return new BusEvent(SOURCE, RUN_REQUESTED, at, r);
    }

    /** The bus event that asks for a worker of one lane of the run (its share of the audience). */
    static BusEvent request(String shopId, String campaignId, Run run, int lane, Instant at) {
        BusEvent whole = request(shopId, campaignId, run, at);
        whole.detail().put("lane", lane);
        return whole;
    }

    /** The bus event that asks for a new run due at {@code dueAt} ({@code POST …/run}). */
    public static BusEvent request(String shopId, String campaignId, Instant dueAt) {
        return new BusEvent(SOURCE, RUN_REQUESTED, dueAt, Json.object().put("shop", shopId).put("campaign", campaignId).put("scheduledTime", dueAt.toString()));
    }

    /** One member of the audience: what happened (sent, skipped:&lt;reason&gt;, holdout …). */
    private String recipient(String shopId, Campaign campaign, Run run, int segment, String contactId, String winner, Timing stated,
                             ObjectNode context, Map<String, Long> sent, EmailStats.Sends emails) {
        Campaign.Audience audience = campaign.audience();
        LocalDate bestDay = null; // sent at their best hour: one email for the day, whichever hourly run finds it
        // read once for whichever of the checks below reads them (the send reads them again, as each of its attempts does)
        Lazy<Optional<Contact>> person = Lazy.of(() -> contacts.current(shopId, contactId));
        if (segment > 0 || !audience.exclude().isEmpty()) {
            Map<String, Instant> in = memberships.memberships(shopId, contactId).value();
            for (String excluded : audience.exclude()) if (in.containsKey(excluded)) return "excluded";
            for (int earlier = 0; earlier < segment; earlier++) {
                // counted under the first segment it is in, if that segment's pass met them: the run's own log says so (or
                // the holdout, which sends nothing, or the consent the message lacks, which logs nothing); someone who
                // joined it after its pass is met here, not skipped
                if (in.containsKey(audience.segments().get(earlier)) && (heldOut(campaign, contactId) || refusal(campaign, person.get()) != null
                        || sending.outcome(shopId, contactId, key(campaign, run, null, contactId), campaign.channel()).isPresent())) {
                    return "duplicate";
                }
            }
        }
        if (audience.date() != null || campaign.schedule().contactZone()) {
            Optional<Contact> contact = person.get();
            if (contact.isEmpty()) return "skipped:no_contact";
            // the segments' own reading of a contact: its time zone (UTC when unknown), its date traits
            Facts facts = new Facts(contact.get(), Map.of(), null, Set.of(), List.of(), run.startedAt());
            LocalDateTime local = LocalDateTime.ofInstant(run.startedAt(), facts.zone());
            Campaign.SendHours hours = campaign.schedule().bestTime();
            if (stated != null && hours != null) {
                int statedHour = statedHourOn(stated.expression(), local.toLocalDate());
                if (statedHour < 0) return "not_their_day";
                int best = BestTime.bestLocalHour(reports.person(shopId, contactId), stated.shopWeek(), local.toLocalDate(), facts.zone(),
                        hours.from(), hours.to(), statedHour);
                if (local.getHour() != best) return "not_their_hour";
                bestDay = local.toLocalDate();
            } else if (stated != null && !firesThisHour(stated.expression(), local)) {
                return "not_their_hour";
            }
            if (audience.date() != null && !Evaluator.matches(new Condition.DateRelative(audience.date().trait(), audience.date().daysBefore(),
                    audience.date().yearly()), facts)) return "not_their_day";
        }
        // a member the message cannot go to (gone, or without consent to it) is counted in the run, and nothing is logged
        // on them: the campaign's audience is who may receive it, as Klaviyo's is its subscribers. Held out only if the
        // email could have gone: compared with those who got it, not with everyone in the segment
        String refusal = refusal(campaign, person.get());
        if (refusal != null) return "skipped:" + refusal;
        if (heldOut(campaign, contactId)) {
            reports.entered(shopId, contactId, "campaign:" + campaign.id(), true, "campaign:" + campaign.id() + ":" + run.runId(), run.startedAt());
            return "holdout";
        }
        Campaign.Variant variant;
        if (campaign.test() != null) {
            boolean inTest = Buckets.inHoldout(campaign.id() + "|" + run.runId() + "|test|" + contactId, campaign.test().percent());
            if (run.phase() == Phase.test) {
                if (!inTest) return "awaiting_winner";
                variant = Buckets.pick(campaign.id() + "|" + run.runId() + "|" + contactId, campaign.variants(), Campaign.Variant::weight);
            } else {
                if (inTest) return "test_slice";
                variant = campaign.variants().stream().filter(v -> v.id().equals(winner)).findFirst().orElse(campaign.variants().getFirst());
            }
        } else {
            variant = Buckets.pick(campaign.id() + "|" + run.runId() + "|" + contactId, campaign.variants(), Campaign.Variant::weight);
        }
        // at each contact's best hour the person's key is the day's, so a later run that finds another best hour (they opened
        // since) sends nothing twice
        String key = key(campaign, run, bestDay, contactId);
        if (bestDay != null && sending.outcome(shopId, contactId, key, campaign.channel()).filter(st -> st == MessageRecord.Status.sent).isPresent()) {
            return "sent_earlier_today";
        }
        SendRequest request = new SendRequest(shopId, contactId, variant.template(), SendRequest.Kind.marketing, key, context.deepCopy(),
                new SendRequest.Tags(null, campaign.id(), run.runId(), campaign.variants().size() > 1 ? variant.id() : null), campaign.topic(),
                new SendRequest.Pacing(campaign.frequencyCap(), campaign.quietHours()), campaign.channel(), campaign.coupon(), variant.variation());
        SendResult result = sending.send(request, emails);
        long waitingSince = System.nanoTime(); // real time, as a worker's lease runs out in real time
        while (paced(result)) {
            // the account's rate holds the whole run back, never this one person: wait for the slot the send named, and
            // send again; a worker that cannot get one within its lease fails the page, which the next worker sends again
            // (each person once: the key), so nobody is dropped
            if (Duration.ofNanos(System.nanoTime() - waitingSince).compareTo(LEASE.dividedBy(2)) > 0) {
                throw new IllegalStateException("no send slot for campaign " + campaign.id() + " in " + LEASE.dividedBy(2) + "; the page goes again");
            }
            sleepUntil(result.until());
            result = sending.send(request, emails);
        }
        if (result.status() == MessageRecord.Status.sent) {
            sent.merge(variant.id(), 1L, Long::sum); // a concurrent map: a page's senders count at once
            if (campaign.holdoutPercent() > 0) {
                reports.entered(shopId, contactId, "campaign:" + campaign.id(), false, "campaign:" + campaign.id() + ":" + run.runId(), run.startedAt());
            }
            return "sent";
        }
        return result.status().name() + ":" + (result.reason() == null ? "" : result.reason().replaceAll(":.*", ""));
    }

    /**
     * What every member's email of the run reads as data: the campaign's name, the run, and {@code since} (when its last
     * run was: the newsletter's new arrivals are the products first seen after it).
     */
    /** Why the campaign's message may not go to the person (no consent to it, or no such person), or null if it may. */
    private static String refusal(Campaign campaign, Optional<Contact> contact) {
        if (contact.isEmpty()) return "no_contact";
        return EmailTemplate.SMS.equals(campaign.channel()) ? EmailSending.textConsentRefusal(contact.get())
                : EmailSending.consentRefusal(contact.get(), campaign.topic());
    }

    /** Whether the person is in the campaign's holdout: the same people on every run. */
    private static boolean heldOut(Campaign campaign, String contactId) {
        return Buckets.inHoldout(campaign.id() + "|" + contactId, campaign.holdoutPercent());
    }

    /** A member's send key: the campaign, the run (the local day for one at each contact's best time) and the person. */
    private static String key(Campaign campaign, Run run, LocalDate bestDay, String contactId) {
        return "campaign:" + campaign.id() + ":" + (bestDay != null ? bestDay : run.runId()) + ":" + contactId;
    }

    /** A send the account's rate (or SES's throttling) deferred: it has a slot to wait for, within the run. */
    private static boolean paced(SendResult result) {
        return result.status() == MessageRecord.Status.deferred && result.reason() != null
                && (result.reason().equals("rate_limited") || result.reason().startsWith("throttled"));
    }

    private void sleepUntil(Instant until) {
        long millis = until == null ? SLOT_POLL.toMillis() : Math.max(1, Math.min(SLOT_POLL_MAX.toMillis(), Duration.between(clock.instant(), until).toMillis()));
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a send slot", e);
        }
    }

    /** How long a paced send waits at least, and at most, before asking again (real time; the slot's time is the clock's). */
    static final Duration SLOT_POLL = Duration.ofMillis(20);
    static final Duration SLOT_POLL_MAX = Duration.ofSeconds(5);

    private static ObjectNode context(Campaign campaign, Run run, Instant previousRunAt) {
        ObjectNode context = Json.object();
        ObjectNode data = context.putObject("data").put("campaign", campaign.name()).put("run", run.runId());
        if (previousRunAt != null) data.put("since", previousRunAt.toString());
        return context;
    }

    /**
     * When the campaign's previous send began: its latest run that started a day or more before this one (the hourly
     * runs of a campaign in each contact's zone are one send); null for its first.
     */
    private Instant previousRunAt(String shopId, String campaignId, Run run) {
        for (Run earlier : runs.list(shopId, campaignId, PREVIOUS_RUNS_READ)) {
            if (!earlier.startedAt().isAfter(run.startedAt().minus(Duration.ofHours(23)))) return earlier.startedAt();
        }
        return null;
    }

    /** Runs read to find the previous send: a day of hourly runs and the one before them. */
    static final int PREVIOUS_RUNS_READ = 40;

    /** A campaign in each contact's zone: whether the firing (on the hour, UTC) is the contact's stated local time. */
    static boolean firesThisHour(ScheduleExpression stated, LocalDateTime local) {
        LocalDateTime hour = local.truncatedTo(ChronoUnit.HOURS);
        // zones a half or quarter hour off UTC reach the stated hour between firings: they get it at hh:30 or hh:45
        return stated.firesAt(hour.withMinute(stated.minute()));
    }

    /** A campaign in each contact's zone: its stated time, and the shop's engagement curve when it goes at each one's best time. */
    private record Timing(ScheduleExpression expression, long[] shopWeek) {}

    /** The local hour the expression fires at on that day, or -1 when it does not fire that day (a best-time campaign's day). */
    static int statedHourOn(ScheduleExpression stated, LocalDate day) {
        for (int hour = 0; hour < 24; hour++) if (stated.firesAt(day.atTime(hour, stated.minute()))) return hour;
        return -1;
    }

    /** A page of the audience: members of one include segment; the cursor is the segment's index and that segment's cursor. */
    private record Page(int segment, List<MembershipStore.Member> members, String next) {}

    /**
     * Members a page takes at this pace (messages a second; null: unpaced): {@value #PAGE}, or as many as go out in a
     * quarter of the lease, so the last of a page gets its slot well within the wait a member is allowed (half the lease)
     * and every page renews the lease in time. At SES's sandbox rate, 1 a second, a page is 30 members.
     */
    static int pageSize(Double pace) {
        if (pace == null) return PAGE;
        return (int) Math.max(1, Math.min(PAGE, Math.floor(pace * LEASE.dividedBy(4).toSeconds())));
    }

    private Page page(String shopId, Campaign campaign, String cursor, int lane, int lanes) {
        int segment = 0;
        String inner = null;
        if (cursor != null) {
            int bar = cursor.indexOf('|');
            segment = Integer.parseInt(cursor.substring(0, bar));
            inner = bar + 1 < cursor.length() ? cursor.substring(bar + 1) : null;
        }
        List<String> segments = campaign.audience().segments();
        Double pace = sending.pace(campaign.channel());
        MembershipStore.Page page = memberships.members(shopId, segments.get(segment), inner, pageSize(pace == null ? null : pace / lanes), lane, lanes);
        String next = page.next() != null ? segment + "|" + page.next() : segment + 1 < segments.size() ? (segment + 1) + "|" : null;
        return new Page(segment, page.members(), next);
    }
}
