package dev.soi.batch.ops;

import static dev.soi.core.domain.Checks.requireNonNull;

import dev.soi.batch.journal.ManifestJournal;
import dev.soi.batch.journal.RunManifest;
import dev.soi.batch.latest.LatestDamage;
import dev.soi.batch.readmodel.ReadModelDamage;
import dev.soi.batch.run.BatchPorts;
import dev.soi.core.domain.BusinessUnit;
import dev.soi.core.domain.RunId;
import dev.soi.core.domain.StorageLayout;
import dev.soi.core.message.InvalidMessageException;
import dev.soi.core.port.Lease;
import dev.soi.core.port.ObjectStoreException;
import dev.soi.core.port.ReceivedMessage;
import dev.soi.core.port.RunLease;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import tools.jackson.core.type.TypeReference;

/**
 * The answer to {@code status}: reads, changes nothing, takes no lease, and answers in every state. Each part is read on
 * its own (the lease, the queue, the last runs, open runs and their manifests, the last published version and its files,
 * the latest-current and out-of-order records, the read model's listings); a part that cannot be read becomes one problem line naming the object and
 * its repair, and the rest is still reported. So a fresh stack, a damaged record, a full disk or an unreachable queue each
 * give an answer, never a failure.
 */
public final class Status {
    /** How long a detection of submissions stamped out of order stays a warning. */
    static final Duration OUT_OF_ORDER_WARNING = Duration.ofHours(24);

    private final BatchPorts ports;

    public Status(BatchPorts ports) {
        this.ports = requireNonNull(ports, "ports");
    }

    public StackStatus read() {
        Findings findings = new Findings(ports.clock().instant());
        ManifestJournal journal = new ManifestJournal(ports.store(), ports.clock());

        Optional<Lease> lease = findings.read(() -> ports.lease().current(), Status::leaseProblem).flatMap(l -> l);
        Map<String, Map<String, Object>> lastRuns = lastRuns(findings);
        Optional<ManifestJournal.LastDone> lastDone = findings.read(journal::lastDone, e -> recordProblem(e,
                "delete it; the next run finds the last published version in today's manifests, or rebuilds the latest table "
                        + "from PIT, and writes it anew")).flatMap(d -> d);
        lastDone.ifPresent(done -> {
            findings.dated(StorageLayout.LAST_DONE_KEY, done.finishedAt());
            findings.read(() -> LatestDamage.of(ports.store(), done), Status::storeProblem).flatMap(d -> d)
                    .ifPresent(damage -> findings.problem(damage.problem()));
            List<BusinessUnit> units = ports.properties().units().stream().map(BusinessUnit::of).toList();
            findings.read(() -> ReadModelDamage.ofVersion(ports.store(), units, done.latestVersion()), Status::storeProblem)
                    .flatMap(d -> d).ifPresent(damage -> findings.warn(damage.warning()));
        });
        Optional<ManifestJournal.LatestCurrent> current = findings.read(journal::latestCurrent, e -> recordProblem(e,
                "delete it; the next run that drains the queue to its end writes it anew")).flatMap(c -> c);
        current.ifPresent(c -> findings.dated(StorageLayout.LATEST_CURRENT_KEY, c.currentAsOf()));

        List<String> openRuns = new ArrayList<>();
        Instant oldest = null;
        for (RunId open : findings.read(journal::openRuns, Status::storeProblem).orElse(List.of())) {
            openRuns.add(open.value());
            Optional<RunManifest> manifest = findings.read(() -> journal.manifestOf(open), Status::manifestProblem).flatMap(m -> m);
            for (RunManifest.SubmissionEntry entry : manifest.map(RunManifest::submissions).orElse(List.of())) {
                oldest = earlier(oldest, entry.acceptedAt());
            }
        }
        Optional<Queue> queue = findings.read(this::queue, Status::queueProblem);
        oldest = earlier(oldest, queue.map(Queue::oldestAccepted).orElse(null));

        lastFailure(lastRuns, findings);
        outOfOrder(findings);
        return new StackStatus(findings.now, lease.map(Lease::holder).orElse(null),
                lease.flatMap(l -> RunId.parse(l.holder())).map(RunId::startedAt).orElse(null),
                lease.map(Lease::expiresAt).orElse(null), queue.map(Queue::visible).orElse(null),
                queue.map(Queue::inFlight).orElse(null), queue.map(Queue::deadLettered).orElse(null), lastRuns, openRuns,
                lastDone.map(ManifestJournal.LastDone::latestVersion).orElse(null),
                lastDone.map(ManifestJournal.LastDone::finishedAt).orElse(null), oldest,
                current.map(ManifestJournal.LatestCurrent::currentAsOf).orElse(null), findings.problems, findings.warnings());
    }

    /** The queue's depths, and the oldest acceptance time among up to 10 messages peeked with a zero visibility timeout. */
    private record Queue(long visible, long inFlight, long deadLettered, Instant oldestAccepted) {}

    private Queue queue() {
        long visible = ports.queue().approximateDepth();
        long inFlight = ports.queue().approximateInFlight();
        long deadLettered = ports.queue().deadLetterQueue().approximateDepth();
        Instant oldest = null;
        for (ReceivedMessage message : ports.queue().receive(10, Duration.ZERO, Duration.ZERO)) {
            try {
                oldest = earlier(oldest, ports.messages().decode(message.body()).acceptedAt());
            } catch (InvalidMessageException | ObjectStoreException e) {
                // A poison message: the next run dead-letters it; it has no acceptance time to report.
            }
        }
        return new Queue(visible, inFlight, deadLettered, oldest);
    }

    private Map<String, Map<String, Object>> lastRuns(Findings findings) {
        Map<String, Map<String, Object>> lastRuns = new LinkedHashMap<>();
        for (String outcome : LastRuns.OUTCOMES) {
            String key = StorageLayout.lastRunKey(outcome);
            findings.read(() -> ports.store().get(key).map(o -> LastRuns.JSON.readValue(o.content(),
                            new TypeReference<Map<String, Object>>() {})),
                    e -> key + " (the last " + outcome + " run, for status) cannot be read: " + oneLine(e) + ". Repair: delete it; "
                            + "the next run that ends " + outcome + " writes it anew")
                    .flatMap(r -> r).ifPresent(record -> {
                        lastRuns.put(outcome, record);
                        findings.dated(key, instant(record.get("finished_at")));
                    });
        }
        return lastRuns;
    }

    /** The last run of {@code run} or {@code rebuild-latest} failed, and none completed since: its failure names the repair. */
    private static void lastFailure(Map<String, Map<String, Object>> lastRuns, Findings findings) {
        Map<String, Object> failed = lastRuns.get("failed");
        if (failed == null) {
            return;
        }
        Instant failedAt = instant(failed.get("finished_at"));
        Instant completedAt = Optional.ofNullable(lastRuns.get("completed")).map(c -> instant(c.get("finished_at"))).orElse(null);
        if (failedAt != null && (completedAt == null || failedAt.isAfter(completedAt))) {
            findings.problem("the last run, " + failed.get("command") + " " + failed.get("run_id") + ", failed "
                    + findings.ageOf(failedAt) + " s ago and none completed since: " + oneLine(String.valueOf(failed.get("summary"))));
        }
    }

    private void outOfOrder(Findings findings) {
        findings.read(() -> OutOfOrder.read(ports.store()), e -> recordProblem(e, "delete it; the next run that finds "
                        + "submissions stamped out of order writes it anew")).flatMap(o -> o)
                .filter(o -> o.detectedAt().plus(OUT_OF_ORDER_WARNING).isAfter(findings.now))
                .ifPresent(o -> findings.warn(o.warning(findings.ageOf(o.detectedAt()))));
    }

    private static String leaseProblem(RuntimeException e) {
        if (e instanceof ObjectStoreException) {
            return storeProblem(e);
        }
        return "the run lease " + StorageLayout.LEASE_KEY + " cannot be read (" + oneLine(e) + "), so no run can start. Repair: "
                + "if no run is active, delete " + StorageLayout.LEASE_KEY + " at the root of the data store (SOI_HOME/data/"
                + StorageLayout.LEASE_KEY + " locally, s3://<bucket>/<prefix>/" + StorageLayout.LEASE_KEY + " in AWS); the next "
                + "run creates it anew";
    }

    private static String manifestProblem(RuntimeException e) {
        return e instanceof ObjectStoreException ? storeProblem(e) : oneLine(e);
    }

    private static String recordProblem(RuntimeException e, String repair) {
        return e instanceof ObjectStoreException ? storeProblem(e) : oneLine(e).replaceFirst(" No run changes anything.*$", "")
                + " Repair: " + repair;
    }

    private static String storeProblem(RuntimeException e) {
        return "the data store cannot be read: " + oneLine(e) + ". Repair: check that the bucket exists and this role may read it "
                + "(SOI_AWS_BUCKET, SOI_AWS_PREFIX), or locally that SOI_HOME/data is readable";
    }

    private static String queueProblem(RuntimeException e) {
        return "the submission queue cannot be used: " + oneLine(e) + ". The API answers 503 and runs fail until it can. Repair: "
                + "if the cause names a full device, free space on it; otherwise check that the queue exists and this role may "
                + "use it (SOI_AWS_QUEUE_URL, SOI_AWS_DLQ_URL), or locally restart ./soi local";
    }

    /** A message on one line, its causes' messages after it where they add something (the cause of a full disk, say). */
    static String oneLine(Throwable e) {
        StringBuilder text = new StringBuilder(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
        for (Throwable cause = e.getCause(); cause != null && cause != cause.getCause(); cause = cause.getCause()) {
            if (cause.getMessage() != null && text.indexOf(cause.getMessage()) < 0) {
                text.append(" (").append(cause.getMessage()).append(')');
            }
        }
        return oneLine(text.toString());
    }

    static String oneLine(String text) {
        String line = text.replaceAll("\\s+", " ").strip();
        return line.endsWith(".") ? line.substring(0, line.length() - 1) : line;
    }

    private static Instant instant(Object text) {
        try {
            return text == null ? null : Instant.parse(String.valueOf(text));
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static Instant earlier(Instant a, Instant b) {
        return a == null || (b != null && b.isBefore(a)) ? b : a;
    }

    /** What one reading found: the problems, and the newest record dated after now (a clock behind the writer's). */
    private static final class Findings {
        final Instant now;
        final List<String> problems = new ArrayList<>();
        private final List<String> warnings = new ArrayList<>();
        private String aheadKey;
        private Instant aheadAt;

        Findings(Instant now) {
            this.now = now;
        }

        <T> Optional<T> read(Supplier<T> part, Function<RuntimeException, String> problem) {
            try {
                return Optional.of(part.get());
            } catch (RuntimeException e) {
                problems.add(problem.apply(e));
                return Optional.empty();
            }
        }

        void problem(String line) {
            problems.add(line);
        }

        void warn(String line) {
            warnings.add(line);
        }

        /** Notes a record's time; one dated after now by more than the lease's tolerance means this clock is behind. */
        void dated(String key, Instant at) {
            if (at != null && at.isAfter(now.plus(RunLease.CLOCK_TOLERANCE)) && (aheadAt == null || at.isAfter(aheadAt))) {
                aheadKey = key;
                aheadAt = at;
            }
        }

        long ageOf(Instant at) {
            return Math.max(0, Duration.between(at, now).toSeconds());
        }

        List<String> warnings() {
            List<String> all = new ArrayList<>(warnings);
            if (aheadAt != null) {
                all.add(0, "this clock reads " + now + ", " + Duration.between(now, aheadAt).toSeconds() + " s before " + aheadKey
                        + " was written (" + aheadAt + "): the clock stepped back, or the writer's clock ran ahead. Ages from such "
                        + "records read as 0 until this clock passes them; a run lease renewed ahead of this clock counts as "
                        + "expired, so runs go on. Repair: set the host's clock right (NTP)");
            }
            return all;
        }
    }
}
