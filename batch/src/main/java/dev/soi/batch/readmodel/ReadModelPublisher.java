package dev.soi.batch.readmodel;

import static dev.soi.core.domain.Checks.requireNonNull;

import dev.soi.batch.readmodel.ReadModelRows.PackageKey;
import dev.soi.batch.readmodel.ReadModelRows.Written;
import dev.soi.batch.run.BatchPorts;
import dev.soi.batch.run.FaultPoint;
import dev.soi.batch.run.RunContext;
import dev.soi.batch.run.Threads;
import dev.soi.core.domain.BusinessUnit;
import dev.soi.core.domain.PackageName;
import dev.soi.core.domain.SubmissionId;
import dev.soi.core.readmodel.IndexEntry;
import dev.soi.core.readmodel.PackageDocument;
import dev.soi.core.readmodel.PublishedMarker;
import dev.soi.core.readmodel.ReadModelObjects;
import dev.soi.core.readmodel.SubmissionStatusDocument;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the read model from what the swap produced, in an order that makes every crash safe to replay: the statuses
 * first (they name the submission that superseded each one, and the superseded one is found in a package's object
 * before that object is replaced), then the packages, then the units' listings ({@link UnitListing}), then the marker.
 * Every object is whole or absent at any moment, and a replay computes the same objects from the same table.
 */
final class ReadModelPublisher {
    /** S3 PUTs are round trips of tens of milliseconds; this many at once keep a thousand packages to a few seconds. */
    static final int THREADS = 16;
    private static final Logger log = LoggerFactory.getLogger(ReadModelPublisher.class);
    private static final Comparator<PackageDocument> VERSION = Comparator.comparing(PackageDocument::eventTimestamp)
            .thenComparing(PackageDocument::submissionId);

    private final BatchPorts ports;
    private final RunContext run;
    private final ReadModelObjects objects;
    private final Runnable leaseCheck;

    /** @param leaseCheck throws if this run no longer holds the lease; called before each kind of object is written */
    ReadModelPublisher(BatchPorts ports, RunContext run, Runnable leaseCheck) {
        this.ports = requireNonNull(ports, "ports");
        this.run = requireNonNull(run, "run");
        this.objects = new ReadModelObjects(ports.store());
        this.leaseCheck = requireNonNull(leaseCheck, "lease check");
    }

    /** The packages {@code rows} name (what the runs wrote), their listings and their submissions' statuses. */
    Published changes(ReadModelRows rows, String version) {
        return publish(rows, rows.written().keySet(), Set.of(), version, false);
    }

    /**
     * Every package of the latest table and every unit's listing again; packages it no longer holds deleted (kept as a
     * deletion when one is known), and the statuses of the submissions in {@code rows}' window. The marker says
     * "incomplete" until the end, so a crash part-way makes the next publication a full one too.
     */
    Published full(ReadModelRows rows, String version, Set<BusinessUnit> registry) {
        leaseCheck.run();
        objects.put(new PublishedMarker(version, run.runId().value(), false, ports.clock().instant()));
        Set<BusinessUnit> units = new TreeSet<>(registry);
        rows.latest().keySet().forEach(k -> units.add(k.unit()));
        rows.written().keySet().forEach(k -> units.add(k.unit()));
        Set<PackageKey> keys = new TreeSet<>(rows.latest().keySet());
        keys.addAll(rows.written().keySet());
        for (BusinessUnit unit : units) {
            objects.packageNames(unit).forEach(name -> keys.add(new PackageKey(unit, name)));
        }
        Published published = publish(rows, keys, units, version, true);
        log.info("{}: read model published in full at version {}: {} packages written, {} deleted, {} statuses, {} listing pages",
                run, version, published.packagesWritten(), published.packagesDeleted(), published.statusesWritten(),
                published.pagesWritten());
        return published;
    }

    /**
     * Publishes {@code keys}: reads their objects as they stand (the versions they replace), writes the statuses, then the
     * objects that change, then the listings of their units (with {@code full}, the listing of each of {@code units} is
     * made of them alone).
     */
    private Published publish(ReadModelRows rows, Set<PackageKey> keys, Set<BusinessUnit> units, String version, boolean full) {
        Map<PackageKey, Optional<PackageDocument>> previous = new ConcurrentHashMap<>();
        parallel(keys, key -> previous.put(key, stored(key, full)));
        Map<PackageKey, Optional<PackageDocument>> next = new TreeMap<>();
        for (PackageKey key : keys) {
            next.put(key, nextState(key, rows, previous.get(key)));
        }
        Map<PackageKey, SubmissionId> winners = winners(next);
        Map<List<Object>, SubmissionId> statuses = statuses(rows.written(), winners);
        previous.forEach((key, before) -> before.ifPresent(b -> {
            SubmissionId winner = winners.get(key);
            List<Object> status = List.of(key.unit(), b.submissionId());
            // The version this one replaces: its submission is superseded now, whichever run applied it.
            if (winner != null && !winner.equals(b.submissionId()) && !statuses.containsKey(status)) {
                statuses.put(status, winner);
            }
        }));
        long statusesWritten = writeStatuses(statuses);
        ports.faults().at(FaultPoint.AFTER_READ_MODEL_STATUSES);

        List<PackageDocument> toWrite = new ArrayList<>();
        Map<BusinessUnit, List<PackageName>> toDelete = new TreeMap<>();
        next.forEach((key, after) -> {
            if (after.isPresent() && !after.equals(previous.get(key))) {
                toWrite.add(after.get());
            } else if (after.isEmpty() && previous.get(key).isPresent()) {
                toDelete.computeIfAbsent(key.unit(), u -> new ArrayList<>()).add(key.name());
            }
        });
        long deleted = writePackages(toWrite, toDelete);

        Map<BusinessUnit, Map<PackageName, Optional<IndexEntry>>> listings = new TreeMap<>();
        units.forEach(unit -> listings.put(unit, new TreeMap<>()));
        next.forEach((key, after) -> listings.computeIfAbsent(key.unit(), u -> new TreeMap<>())
                .put(key.name(), after.filter(d -> !d.deleted()).map(PackageDocument::entry)));
        UnitListing.Writes pages = writeListings(listings, full);
        leaseCheck.run();
        objects.put(new PublishedMarker(version, run.runId().value(), true, ports.clock().instant()));
        return new Published(full ? Published.Publication.FULL : Published.Publication.CHANGES, version, toWrite.size(), deleted,
                statusesWritten, pages.written(), pages.deleted());
    }

    /** The package's object as stored; in a full publication, which repairs, a damaged one counts as none and is replaced. */
    private Optional<PackageDocument> stored(PackageKey key, boolean full) {
        try {
            return objects.packageOf(key.unit(), key.name());
        } catch (IllegalStateException e) {
            if (!full) {
                throw e;
            }
            log.warn("{}: {}; it is replaced", run, e.getMessage());
            return Optional.empty();
        }
    }

    /**
     * The package's object after this publication: the latest table's version; or, when the table no longer holds it, the
     * newest deletion known (written by the runs, or already stored), which answers 404 and remembers who deleted it.
     */
    private static Optional<PackageDocument> nextState(PackageKey key, ReadModelRows rows, Optional<PackageDocument> previous) {
        PackageDocument version = rows.latest().get(key);
        if (version != null) {
            return Optional.of(version);
        }
        List<PackageDocument> deletions = new ArrayList<>();
        previous.filter(PackageDocument::deleted).ifPresent(deletions::add);
        for (Written written : rows.written().getOrDefault(key, List.of())) {
            if (written.deletion()) {
                deletions.add(PackageDocument.deletion(key.unit(), key.name(), written.eventTimestamp(), written.submissionId()));
            }
        }
        return deletions.stream().max(VERSION);
    }

    private static Map<PackageKey, SubmissionId> winners(Map<PackageKey, Optional<PackageDocument>> next) {
        Map<PackageKey, SubmissionId> winners = new TreeMap<>();
        next.forEach((key, after) -> after.ifPresent(d -> winners.put(key, d.submissionId())));
        return winners;
    }

    /**
     * Each written submission's status: superseded by the winner of a package it set when that is another submission
     * (the newest such winner, when several are), else not superseded.
     */
    private static Map<List<Object>, SubmissionId> statuses(Map<PackageKey, List<Written>> written, Map<PackageKey, SubmissionId> winners) {
        Map<List<Object>, SubmissionId> statuses = new java.util.HashMap<>();
        written.forEach((key, versions) -> {
            SubmissionId winner = winners.get(key);
            for (Written version : versions) {
                List<Object> status = List.of(key.unit(), version.submissionId());
                SubmissionId by = winner == null || winner.equals(version.submissionId()) ? null : winner;
                SubmissionId known = statuses.get(status);
                statuses.put(status, known == null ? by : by == null || known.compareTo(by) > 0 ? known : by);
            }
        });
        return statuses;
    }

    private long writeStatuses(Map<List<Object>, SubmissionId> statuses) {
        leaseCheck.run();
        parallel(statuses.entrySet(), e -> objects.put(new SubmissionStatusDocument((BusinessUnit) e.getKey().get(0),
                (SubmissionId) e.getKey().get(1), e.getValue())));
        return statuses.size();
    }

    private long writePackages(List<PackageDocument> toWrite, Map<BusinessUnit, List<PackageName>> toDelete) {
        leaseCheck.run();
        AtomicBoolean first = new AtomicBoolean(true);
        parallel(toWrite, document -> {
            objects.put(document);
            if (first.getAndSet(false)) {
                ports.faults().at(FaultPoint.DURING_READ_MODEL_PACKAGES);
            }
        });
        AtomicLong deleted = new AtomicLong();
        toDelete.forEach((unit, names) -> {
            for (int from = 0; from < names.size(); from += 1000) {
                List<PackageName> batch = names.subList(from, Math.min(names.size(), from + 1000));
                objects.deletePackages(unit, batch);
                deleted.addAndGet(batch.size());
            }
        });
        return deleted.get();
    }

    private UnitListing.Writes writeListings(Map<BusinessUnit, Map<PackageName, Optional<IndexEntry>>> listings, boolean replaceAll) {
        leaseCheck.run();
        UnitListing listing = new UnitListing(objects);
        int written = 0;
        int deleted = 0;
        for (Map.Entry<BusinessUnit, Map<PackageName, Optional<IndexEntry>>> unit : listings.entrySet()) {
            UnitListing.Writes writes = listing.apply(unit.getKey(), unit.getValue(), replaceAll,
                    () -> ports.faults().at(FaultPoint.DURING_READ_MODEL_INDEX));
            written += writes.written();
            deleted += writes.deleted();
        }
        return new UnitListing.Writes(written, deleted);
    }

    /** Runs {@code work} over {@code items} on up to {@link #THREADS} threads, in slices; the first failure fails all. */
    private static <T> void parallel(Collection<T> items, Consumer<T> work) {
        List<T> all = List.copyOf(items);
        int slice = Math.max(1, (all.size() + THREADS * 4 - 1) / (THREADS * 4));
        List<Runnable> tasks = new ArrayList<>();
        for (int from = 0; from < all.size(); from += slice) {
            List<T> part = all.subList(from, Math.min(all.size(), from + slice));
            tasks.add(() -> part.forEach(work));
        }
        if (!tasks.isEmpty()) {
            Threads.run("read-model", THREADS, tasks);
        }
    }
}
