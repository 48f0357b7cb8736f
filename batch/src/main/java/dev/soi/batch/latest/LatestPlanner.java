package dev.soi.batch.latest;

import static dev.soi.core.domain.Checks.requireNonNull;

import dev.soi.batch.journal.ManifestJournal;
import dev.soi.batch.journal.ManifestState;
import dev.soi.batch.journal.OwnManifest;
import dev.soi.batch.journal.Recovery;
import dev.soi.batch.journal.RunManifest;
import dev.soi.batch.run.BatchPorts;
import dev.soi.batch.run.Command;
import dev.soi.batch.run.RunContext;
import dev.soi.core.domain.BusinessUnit;
import dev.soi.core.domain.LatestLayout;
import dev.soi.core.domain.PitPartition;
import dev.soi.core.domain.RunId;
import dev.soi.core.domain.StorageLayout;
import dev.soi.core.port.ObjectSummary;
import dev.soi.core.port.QueryResult;
import dev.soi.core.sql.Statement;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides what a rebuild writes ({@link LatestPlan}). A scheduled run whose predecessor published builds incrementally:
 * every unit of the current version is written into the new one, the units the new runs touched recomputed from the
 * current version and the partitions those runs wrote, the others copied; the cost follows the table, never the
 * history. Anything else is a full build from PIT, one unit at a time, recorded in {@link LatestBuild} so that it can go
 * on in later invocations; a full build under way is always carried on first, by any command that rebuilds.
 */
final class LatestPlanner {
    private static final Logger log = LoggerFactory.getLogger(LatestPlanner.class);

    private final BatchPorts ports;
    private final RunContext run;
    private final Recovery recovery;
    private final OwnManifest manifest;

    LatestPlanner(BatchPorts ports, RunContext run, Recovery recovery, OwnManifest manifest) {
        this.ports = requireNonNull(ports, "ports");
        this.run = requireNonNull(run, "run");
        this.recovery = requireNonNull(recovery, "recovery");
        this.manifest = requireNonNull(manifest, "manifest");
    }

    /** The current version as the store holds it: its units, and whether it has an earlier release's one-folder layout. */
    record Current(Set<BusinessUnit> units, boolean legacy) {}

    LatestPlan plan() {
        Current current = current(recovery.lastPublished());
        Optional<LatestBuild.Open> underWay = new LatestBuild(ports.store(), run.runId()).open();
        if (underWay.isPresent()) {
            return resume(underWay.get(), current);
        }
        if (run.command() == Command.RUN && !run.full() && recovery.lastPublished() != null && !current.legacy()) {
            return incremental(current);
        }
        return startFull(current);
    }

    private LatestPlan incremental(Current current) {
        Map<BusinessUnit, LocalDate> windows = new TreeMap<>((a, b) -> a.code().compareTo(b.code()));
        List<PitPartition> written = new ArrayList<>(manifest.get().manifest().pitPartitions());
        RunId since = run.runId();
        for (ManifestJournal.Entry carried : recovery.carried()) {
            written.addAll(carried.manifest().pitPartitions());
            RunId carriedId = new RunId(carried.runId());
            since = carriedId.compareTo(since) < 0 ? carriedId : since;
        }
        for (PitPartition partition : written) {
            windows.merge(partition.businessUnit(), partition.requestDate(), (a, b) -> a.isBefore(b) ? a : b);
        }
        Set<BusinessUnit> units = sorted(current.units());
        units.addAll(windows.keySet());
        Map<BusinessUnit, Statement> selects = new LinkedHashMap<>();
        for (BusinessUnit unit : units) {
            LocalDate window = windows.get(unit);
            selects.put(unit, window == null ? ports.statements().latestUnitCopy(unit)
                    : ports.statements().latestUnitIncremental(unit, window, since));
        }
        return new LatestPlan(run.runId().value(), selects, enumerated(units), true, false, Optional.empty());
    }

    private LatestPlan startFull(Current current) {
        Set<BusinessUnit> units = pitUnits();
        LatestBuild.Open build = new LatestBuild(ports.store(), run.runId()).start(run.runId(), units, ports.clock().instant());
        log.info("{}: full rebuild of the latest table into version {}: {} units from all of PIT, one at a time", run,
                build.state().version(), units.size());
        return full(build, current);
    }

    /**
     * Carries on the full build under way. Units whose rows changed since the last invocation that built units (runs
     * that committed in between, and what this run applies) are built again: the version must hold every row committed
     * before it is published, and no run commits while this one holds the lease.
     */
    private LatestPlan resume(LatestBuild.Open build, Current current) {
        Set<BusinessUnit> changed = sorted(unitsOf(manifest.get().manifest().pitPartitions()));
        recovery.carried().forEach(c -> changed.addAll(unitsOf(c.manifest().pitPartitions())));
        changed.addAll(committedSince(new RunId(build.state().asOfRun())));
        LatestBuild.Open resumed = new LatestBuild(ports.store(), run.runId()).resume(build, run.runId(), changed);
        log.info("{}: carrying on the full rebuild of the latest table into version {} ({}); units changed since run {}: {}", run,
                build.state().version(), resumed.state().progress(), build.state().asOfRun(), changed);
        return full(resumed, current);
    }

    private LatestPlan full(LatestBuild.Open build, Current current) {
        Map<BusinessUnit, Statement> selects = new LinkedHashMap<>();
        build.state().remaining().forEach(unit -> selects.put(unit, ports.statements().latestUnitFromPit(unit)));
        List<BusinessUnit> units = build.state().units().stream().map(BusinessUnit::of).toList();
        return new LatestPlan(build.state().version(), selects, enumerated(units), false, current.legacy(), Optional.of(build));
    }

    /** The units with PIT partitions in the catalog, from its partition metadata. */
    private Set<BusinessUnit> pitUnits() {
        QueryResult result = ports.engine().query(ports.statements().pitUnits());
        Set<BusinessUnit> units = sorted(Set.of());
        result.rows().forEach(row -> units.add(BusinessUnit.of((String) row.get(0))));
        return units;
    }

    /** Units of the runs after {@code asOf} that committed (COMMITTED or DONE), from their manifests. */
    private Set<BusinessUnit> committedSince(RunId asOf) {
        Set<BusinessUnit> units = sorted(Set.of());
        LocalDate from = LocalDate.parse(StorageLayout.runStampOf(asOf).substring(0, 8), java.time.format.DateTimeFormatter.BASIC_ISO_DATE);
        LocalDate to = ports.clock().instant().atZone(ZoneOffset.UTC).toLocalDate();
        for (String key : run.journal().keysBetween(from, to)) {
            if (StorageLayout.runStampOf(key).compareTo(StorageLayout.runStampOf(asOf)) < 0 || key.equals(StorageLayout.manifestKey(run.runId()))) {
                continue;
            }
            run.journal().read(key).map(ManifestJournal.Entry::manifest)
                    .filter(m -> m.state() == ManifestState.COMMITTED || m.state() == ManifestState.DONE)
                    .filter(m -> !m.runId().equals(asOf.value()))
                    .map(RunManifest::pitPartitions).ifPresent(p -> units.addAll(unitsOf(p)));
        }
        return units;
    }

    /**
     * The units of version {@code version} as the store holds it (one LIST of its folder), and whether its files lie
     * directly in the version folder, as an earlier release wrote them. Empty for none or a version with no rows.
     */
    private Current current(String version) {
        if (version == null) {
            return new Current(Set.of(), false);
        }
        Set<BusinessUnit> units = sorted(Set.of());
        boolean legacy = false;
        String prefix = StorageLayout.latestVersionPrefix(version);
        for (ObjectSummary object : ports.store().list(prefix)) {
            Optional<BusinessUnit> unit = LatestLayout.latestUnitOf(object.key());
            unit.ifPresent(units::add);
            legacy |= unit.isEmpty() && object.key().indexOf('/', prefix.length()) < 0;
        }
        return new Current(units, legacy);
    }

    /** The units the table's projection lists: the version's, and the registry's, so the list is never empty. */
    private List<BusinessUnit> enumerated(java.util.Collection<BusinessUnit> units) {
        Set<BusinessUnit> all = sorted(units);
        ports.properties().units().forEach(u -> all.add(BusinessUnit.of(u)));
        if (all.isEmpty()) {
            throw new IllegalStateException("the latest table lists its business units, and there is none: no PIT partition and an "
                    + "empty registry. Set soi.business-units (SOI_BUSINESS_UNITS)");
        }
        return List.copyOf(all);
    }

    private static Set<BusinessUnit> unitsOf(List<PitPartition> partitions) {
        Set<BusinessUnit> units = sorted(Set.of());
        partitions.forEach(p -> units.add(p.businessUnit()));
        return units;
    }

    private static Set<BusinessUnit> sorted(java.util.Collection<BusinessUnit> units) {
        Set<BusinessUnit> set = new TreeSet<>((a, b) -> a.code().compareTo(b.code()));
        set.addAll(units);
        return set;
    }
}
