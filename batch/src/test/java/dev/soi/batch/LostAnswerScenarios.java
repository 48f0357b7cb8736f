package dev.soi.batch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.soi.batch.journal.ManifestState;
import dev.soi.batch.ops.RunSummary;
import dev.soi.batch.run.FaultInjector;
import dev.soi.batch.testing.Expected;
import dev.soi.batch.testing.PitFiles;
import dev.soi.core.domain.LatestLayout;
import dev.soi.core.domain.PackageChange;
import dev.soi.core.domain.PitPartition;
import dev.soi.core.domain.RunId;
import dev.soi.core.domain.IndexLayout;
import dev.soi.core.domain.StorageLayout;
import dev.soi.core.domain.Submission;
import dev.soi.core.domain.SubmissionId;
import dev.soi.core.message.SubmissionMessages;
import dev.soi.core.port.QueueMessage;
import dev.soi.core.testing.FaultyObjectStore;
import dev.soi.core.testing.InMemoryObjectStore;
import dev.soi.core.testing.FaultyObjectStore.Fault;
import dev.soi.core.testing.FaultyObjectStore.Operation;
import dev.soi.core.testing.FaultyObjectStore.Write;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A store that loses answers: every write a run makes fails in each of the three ways a remote store's write can (it
 * lands and the answer is lost; it lands and the retry answers a failed precondition; it never lands), and every
 * submission is still applied exactly once, with no file a committed manifest names missing.
 */
public abstract class LostAnswerScenarios extends ScenarioSupport {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    protected LostAnswerScenarios() {
        super(23);
    }

    /** The writes a run makes, each recognised by its key and, for the journals, the state it writes. */
    enum Site {
        LEASE_ACQUIRE(false, true) {
            @Override
            Predicate<Write> at(String run) {
                return new Predicate<>() {
                    private boolean seen;

                    @Override
                    public boolean test(Write w) {
                        if (!w.key().equals(StorageLayout.LEASE_KEY) || seen) {
                            return false;
                        }
                        seen = true;
                        return true;
                    }
                };
            }
        },
        OPEN_RUN_MARKER(false, true) {
            @Override
            Predicate<Write> at(String run) {
                return w -> w.operation() == Operation.PUT && w.key().equals(StorageLayout.OPEN_RUNS_PREFIX + run);
            }
        },
        MANIFEST_OPEN(false, true) {
            @Override
            Predicate<Write> at(String run) {
                return w -> w.operation() == Operation.PUT_IF_ABSENT && w.key().equals(manifestKey(run));
            }
        },
        MANIFEST_STAGED(false, true) {
            @Override
            Predicate<Write> at(String run) {
                return manifest(run, "PENDING", false);
            }
        },
        MANIFEST_COMMIT(false, true) {
            @Override
            Predicate<Write> at(String run) {
                return manifest(run, "COMMITTED", false);
            }
        },
        PIT_FILE_COMPLETION(false, true) {
            @Override
            Predicate<Write> at(String run) {
                return w -> w.operation() == Operation.COMPLETE_UPLOAD && w.key().startsWith(StorageLayout.PIT_PREFIX)
                        && w.key().contains("/" + run + "-");
            }
        },
        MANIFEST_LATEST_VERSION(false, true) {
            @Override
            Predicate<Write> at(String run) {
                return manifest(run, "COMMITTED", true);
            }
        },
        MANIFEST_DONE(false, true) {
            @Override
            Predicate<Write> at(String run) {
                return manifest(run, "DONE", true);
            }
        },
        LAST_DONE(false, true) {
            @Override
            Predicate<Write> at(String run) {
                return w -> w.key().equals(StorageLayout.LAST_DONE_KEY);
            }
        },
        DEAD_LETTER(false, true) {
            @Override
            Predicate<Write> at(String run) {
                return w -> w.key().startsWith(StorageLayout.DEAD_LETTERS_PREFIX);
            }
        },
        // Not fatal: finish-compactions of a scheduled run logs a partition it could not finish and goes on to the next.
        COMPACTION_RETIRE(true, false) {
            @Override
            Predicate<Write> at(String run) {
                return w -> w.key().startsWith(StorageLayout.COMPACTIONS_PREFIX) && "DONE".equals(field(w, "state"))
                        && field(w, "retired") == null;
            }
        },
        COMPACTION_ACTIVE(true, false) {
            @Override
            Predicate<Write> at(String run) {
                return w -> w.operation() == Operation.PUT && w.key().startsWith(IndexLayout.COMPACTION_ACTIVE_PREFIX)
                        && !w.key().equals(IndexLayout.COMPACTION_INDEX_BUILT_KEY);
            }
        },
        COMPACTION_OPEN(true, false) {
            @Override
            Predicate<Write> at(String run) {
                return compaction(run, "PENDING");
            }
        },
        LEASE_RENEW(true, false) {
            @Override
            Predicate<Write> at(String run) {
                return new Predicate<>() {
                    private boolean seen;

                    @Override
                    public boolean test(Write w) {
                        if (!w.key().equals(StorageLayout.LEASE_KEY)) {
                            return false;
                        }
                        if (!seen) {
                            seen = true; // the acquire
                            return false;
                        }
                        return !released(w);
                    }
                };
            }
        },
        COMPACTION_VERIFIED(true, false) {
            @Override
            Predicate<Write> at(String run) {
                return compaction(run, "VERIFIED");
            }
        },
        COMPACTION_SWAPPED(true, false) {
            @Override
            Predicate<Write> at(String run) {
                return compaction(run, "SWAPPED");
            }
        },
        COMPACTION_DONE(true, false) {
            @Override
            Predicate<Write> at(String run) {
                return w -> compaction(run, "DONE").test(w) && field(w, "retired") != null;
            }
        },
        LATEST_BUILD_START(false, true) {
            @Override
            Predicate<Write> at(String run) {
                return w -> w.operation() == Operation.PUT_IF_ABSENT && w.key().equals(LatestLayout.LATEST_BUILD_KEY);
            }

            @Override
            boolean fullRebuild() {
                return true;
            }
        },
        LATEST_BUILD_UNIT_DONE(false, true) {
            @Override
            Predicate<Write> at(String run) {
                return w -> w.operation() == Operation.PUT_IF_MATCH && w.key().equals(LatestLayout.LATEST_BUILD_KEY);
            }

            @Override
            boolean fullRebuild() {
                return true;
            }
        },
        LATEST_CURRENT(false, false) {
            @Override
            Predicate<Write> at(String run) {
                return w -> w.key().equals(StorageLayout.LATEST_CURRENT_KEY);
            }
        },
        LEASE_RELEASE(false, false) {
            @Override
            Predicate<Write> at(String run) {
                return w -> w.key().equals(StorageLayout.LEASE_KEY) && released(w);
            }
        },
        // Last: their runs fail when the write never lands, and a longer streak of failed runs would take the oldest
        // messages past the queue's receive count, into the dead-letter queue.
        APPLIED_MARK(false, true) {
            @Override
            Predicate<Write> at(String run) {
                return w -> w.operation() == Operation.PUT && w.key().startsWith(IndexLayout.APPLIED_PREFIX) && w.key().endsWith("/" + run);
            }
        },
        COMPACTION_DUE(false, true) {
            @Override
            Predicate<Write> at(String run) {
                return w -> w.operation() == Operation.PUT && w.key().startsWith(IndexLayout.COMPACTION_DUE_PREFIX);
            }
        };

        /** Whether the run must compact a partition to make this write. */
        final boolean compacts;
        /** Whether the run fails when this write never lands (the others are undone and reported, or best effort). */
        final boolean fatal;

        Site(boolean compacts, boolean fatal) {
            this.compacts = compacts;
            this.fatal = fatal;
        }

        abstract Predicate<Write> at(String run);

        /**
         * Whether only a full rebuild of the latest table writes here (its record, {@code _journal/latest-build.json}):
         * the run that reaches it is a full one ({@code run} with {@code full}).
         */
        boolean fullRebuild() {
            return false;
        }

        private static String manifestKey(String run) {
            return StorageLayout.manifestKey(new RunId(run));
        }

        private static Predicate<Write> manifest(String run, String state, boolean withLatestVersion) {
            return w -> w.operation() == Operation.PUT_IF_MATCH && w.key().equals(manifestKey(run)) && state.equals(field(w, "state"))
                    && (field(w, "latest_version") != null) == withLatestVersion;
        }

        private static Predicate<Write> compaction(String run, String state) {
            return w -> w.key().startsWith(StorageLayout.COMPACTIONS_PREFIX) && run.equals(field(w, "compaction_run"))
                    && state.equals(field(w, "state"));
        }

        private static boolean released(Write w) {
            return w.text().endsWith("|true") || "true".equals(field(w, "released"));
        }

        private static String field(Write w, String name) {
            try {
                JsonNode node = JSON.readTree(w.content());
                JsonNode value = node == null ? null : node.get(name);
                return value == null || value.isNull() ? null : value.asString();
            } catch (RuntimeException notJson) {
                return null;
            }
        }
    }

    private final List<String> deadLettered = new ArrayList<>();
    /** The last run of the matrix. */
    private RunSummary last;

    /** The faults each site fails with, one run each; the fixtures where runs cost more leave the landed ones to {@link #everyWriteLosesItsAnswer}. */
    protected List<Fault> faultsAtEachSite() {
        return List.of(Fault.values());
    }

    @ParameterizedTest
    @EnumSource(value = Fault.class, names = {"LANDS_THEN_FAILS", "LANDS_THEN_RETRY_ANSWERS"})
    void aCommitWhoseAnswerWasLostIsRecognisedAndLosesNoSubmission(Fault fault) {
        Submission first = send("AE", Duration.ZERO, PackageChange.set("job_1", 1, 2));
        Submission second = send("CMF", Duration.ZERO, PackageChange.set("risk", 10));
        String runId = nextRunId();
        FaultyObjectStore.Armed armed = fixture.faultyStore().arm(fault, Site.MANIFEST_COMMIT.at(runId));

        RunSummary summary = run(runId);

        assertThat(armed.fired()).isEqualTo(1);
        assertThat(summary.outcome()).as(summary.sentence()).isEqualTo(RunSummary.Outcome.COMPLETED);
        assertThat(pitTableRowsPerSubmission()).as("every submission in the PIT table once")
                .containsExactlyInAnyOrderEntriesOf(Map.of(first.id().toString(), 2L, second.id().toString(), 1L));
        assertExactlyOnce();
    }

    @Test
    void aCommitWhoseOutcomeCannotBeReadFailsTheRunAndDeletesNothingThenTheNextRunFindsItCommitted() {
        Submission first = send("AE", Duration.ZERO, PackageChange.set("job_1", 1, 2));
        String runId = nextRunId();
        FaultyObjectStore.Armed armed = fixture.faultyStore().arm(Fault.LANDS_THEN_FAILS, Site.MANIFEST_COMMIT.at(runId))
                .leavingStoreUnreadable();

        RunSummary failed = run(runId);
        fixture.faultyStore().unreadable(false);

        assertThat(armed.fired()).isEqualTo(1);
        assertThat(failed.outcome()).isEqualTo(RunSummary.Outcome.FAILED);
        assertThat(failed.failure()).contains("is unknown").contains(StorageLayout.manifestKey(new RunId(runId)));
        assertThat(manifestState(runId)).as("the commit landed, and nothing undid it").isEqualTo("COMMITTED");
        fixture.clock().advance(Duration.ofSeconds(90));
        RunSummary next = newRun(FaultInjector.NONE).run();
        assertThat(next.outcome()).isEqualTo(RunSummary.Outcome.COMPLETED);
        assertThat(next.recoveredCommitted()).containsExactly(runId);
        assertThat(pitTableRowsPerSubmission()).containsExactly(Map.entry(first.id().toString(), 2L));
        assertExactlyOnce();
    }

    /**
     * The records that start the two indexes, written once by the first run over a store (or over one from before the
     * indexes), each losing its answer every way: a write that landed is the run's own and the run completes; one that
     * never landed fails the run, and the next run writes it and completes.
     */
    @ParameterizedTest
    @EnumSource(Fault.class)
    void theRecordsThatStartTheIndexesSurviveALostAnswer(Fault fault) {
        fixture.store().delete(List.of(IndexLayout.COMPACTION_INDEX_BUILT_KEY)); // a store from before the compaction index
        Submission first = send("AE", Duration.ZERO, PackageChange.set("job_1", 1, 2));
        String runId = nextRunId();
        Predicate<Write> starts = w -> w.key().equals(IndexLayout.APPLIED_SINCE_KEY) || w.key().equals(IndexLayout.COMPACTION_INDEX_BUILT_KEY);
        FaultyObjectStore.Armed armed = fixture.faultyStore().armEvery(fault, starts);

        RunSummary summary = run(runId);
        fixture.faultyStore().disarm();

        if (fault == Fault.FAILS_BEFORE_WRITE) {
            assertThat(armed.hit()).extracting(Write::key).containsExactly(IndexLayout.APPLIED_SINCE_KEY);
            assertThat(summary.outcome()).as(summary.sentence()).isEqualTo(RunSummary.Outcome.FAILED);
            assertThat(fixture.store().get(IndexLayout.APPLIED_SINCE_KEY)).isEmpty();
            summary = newRun(FaultInjector.NONE).run();
        } else {
            assertThat(armed.hit()).extracting(Write::key)
                    .containsExactly(IndexLayout.APPLIED_SINCE_KEY, IndexLayout.COMPACTION_INDEX_BUILT_KEY);
        }
        assertThat(summary.outcome()).as(summary.sentence()).isEqualTo(RunSummary.Outcome.COMPLETED);
        assertThat(fixture.store().get(IndexLayout.APPLIED_SINCE_KEY)).isPresent();
        assertThat(fixture.store().get(IndexLayout.COMPACTION_INDEX_BUILT_KEY)).isPresent();
        assertThat(pitTableRowsPerSubmission()).containsExactly(Map.entry(first.id().toString(), 2L));
        assertExactlyOnce();
    }

    /**
     * Every write a run makes, failing each way, on one history, one run per fault: every submission is applied exactly
     * once throughout, no file a committed manifest names is missing, and every staged upload is completed or aborted.
     */
    @Test
    void aStoreThatLosesAnswersAtAnyWriteLosesNoSubmissionAndAppliesNoneTwice() {
        for (Site site : Site.values()) {
            for (Fault fault : faultsAtEachSite()) {
                prepareFor(site);
                runCase(site, fault);
            }
        }
        for (Fault fault : List.of(Fault.LANDS_THEN_FAILS, Fault.LANDS_THEN_RETRY_ANSWERS)) {
            everyWriteLosesItsAnswer(fault);
        }
        fixture.clock().advance(Duration.ofDays(1));
        assertThat(newRun(FaultInjector.NONE).run().outcome()).isEqualTo(RunSummary.Outcome.COMPLETED);
        assertExactlyOnce();
        assertNoUploadLeftPending();
    }

    /**
     * Runs (whose only fault is on the best-effort latest-current record) until the next run can write at {@code site}:
     * a compaction needs yesterday's partition to hold one committed file, which a failed run may not have left; a
     * retirement needs a compaction in the run before.
     */
    private void prepareFor(Site site) {
        if (site.compacts && last != null && last.outcome() != RunSummary.Outcome.COMPLETED) {
            runCase(Site.LATEST_CURRENT, Fault.FAILS_BEFORE_WRITE, false);
        }
        if (site == Site.COMPACTION_RETIRE && last.compaction().partitions() == 0) {
            runCase(Site.LATEST_CURRENT, Fault.FAILS_BEFORE_WRITE, true);
        }
    }

    /** One run in which every write, at every site, lands and loses its answer the same way. */
    private void everyWriteLosesItsAnswer(Fault fault) {
        prepareFor(Site.COMPACTION_RETIRE);
        fixture.clock().advance(Duration.ofDays(1));
        send("AE", Duration.ZERO, PackageChange.set("every_" + fault.ordinal(), 1, 2));
        sendAt("AE", fixture.clock().instant().minus(Duration.ofDays(1)), PackageChange.set("late_every_" + fault.ordinal(), 7));
        poison();
        String runId = nextRunId();
        // Every write once (a completion's retry is not lost again), but deletes (the engine writes compaction files itself).
        Set<String> lost = ConcurrentHashMap.newKeySet();
        FaultyObjectStore.Armed armed = fixture.faultyStore().armEvery(fault, w -> w.operation() != Operation.DELETE
                && w.operation() != Operation.ABORT_UPLOAD && w.operation() != Operation.COMMIT_UPLOAD
                && lost.add(w.operation() + " " + w.key() + " " + w.text()));
        RunSummary summary = run(runId);
        fixture.faultyStore().disarm();
        last = summary;

        List<Site> hit = new ArrayList<>();
        for (Site site : Site.values()) {
            Predicate<Write> at = site.at(runId);
            if (armed.hit().stream().anyMatch(at)) {
                hit.add(site);
            }
        }
        List<Site> expected = new ArrayList<>(List.of(Site.values()));
        expected.removeIf(Site::fullRebuild); // an incremental run: its own sites cover the full rebuild's record
        assertThat(hit).as("the sites whose writes lost their answers").containsExactlyInAnyOrderElementsOf(expected);
        assertThat(summary.outcome()).as(summary.sentence()).isEqualTo(RunSummary.Outcome.COMPLETED);
        assertThat(summary.compaction().failed()).isZero();
        assertExactlyOnce();
    }

    /**
     * One case: a day later (the last run's lease, its messages' visibility and the compaction grace all passed),
     * new submissions, then a run whose {@code site} write fails with {@code fault}; one that never lands fails every
     * attempt, the retry of a completion included.
     */
    protected RunSummary runCase(Site site, Fault fault) {
        return runCase(site, fault, site.compacts);
    }

    protected RunSummary runCase(Site site, Fault fault, boolean late) {
        fixture.clock().advance(Duration.ofDays(1));
        // Every day gets an AE file, so a late AE submission makes yesterday's partition one of two files: compacted.
        send("AE", Duration.ZERO, PackageChange.set("job_" + site.ordinal(), 1 + fault.ordinal(), 100));
        if (site.ordinal() % 2 == 1) {
            send("CMF", Duration.ZERO, PackageChange.set("risk_" + site.ordinal(), 1 + fault.ordinal()));
        }
        if (late) {
            // A late submission for yesterday: that partition then holds two files, so the run compacts it.
            sendAt("AE", fixture.clock().instant().minus(Duration.ofDays(1)), PackageChange.set("late_" + site.ordinal(), 7));
        }
        if (site == Site.DEAD_LETTER) {
            poison();
        }
        String runId = nextRunId();
        FaultyObjectStore.Armed armed = fault == Fault.FAILS_BEFORE_WRITE
                ? fixture.faultyStore().armEvery(fault, site.at(runId)) : fixture.faultyStore().arm(fault, site.at(runId));
        RunSummary summary = run(runId, site.fullRebuild());
        fixture.faultyStore().disarm();
        last = summary;
        if (site.fullRebuild() && summary.outcome() == RunSummary.Outcome.COMPLETED) {
            // A failed one leaves its record: the next run carries the build on (the next case's run does).
            assertThat(fixture.store().get(LatestLayout.LATEST_BUILD_KEY)).as("the record of a full rebuild that was published")
                    .isEmpty();
        }
        String label = site + " " + fault + " (" + summary.outcome() + ": " + summary.sentence() + ")";
        assertThat(armed.fired()).as("the run wrote " + site + ": " + label).isPositive();
        assertThat(summary.outcome()).as(label).isEqualTo(fault == Fault.FAILS_BEFORE_WRITE && site.fatal
                ? RunSummary.Outcome.FAILED : RunSummary.Outcome.COMPLETED);
        Map<String, Long> expected = Expected.rowsPerSubmission(sent);
        assertThat(tableRowsPerSubmission()).as(label + ": nothing applied twice")
                .allSatisfy((id, rows) -> assertThat(rows).isEqualTo(expected.get(id)));
        assertFilesAccountedFor(label);
        if (summary.outcome() == RunSummary.Outcome.COMPLETED) {
            assertExactlyOnce();
        }
        return summary;
    }

    private void poison() {
        SubmissionId id = SubmissionId.generate(fixture.clock().instant(), random);
        fixture.queue().enqueue(List.of(new QueueMessage("{not json", Map.of(SubmissionMessages.ATTR_SUBMISSION_ID, id.toString()))));
        deadLettered.add(id.toString());
    }

    /** The id the next run will have: the fixture draws it from the clock and the seed given. */
    private long nextSeed;

    private String nextRunId() {
        nextSeed = random.nextLong();
        return RunId.generate(fixture.clock().instant(), new Random(nextSeed)).value();
    }

    private RunSummary run(String runId) {
        return run(runId, false);
    }

    /** A scheduled run, or with {@code full} one that rebuilds the latest table in full from PIT. */
    private RunSummary run(String runId, boolean full) {
        RunSummary summary = fixture.commands(engine, fixture.queue(), messages, new Random(nextSeed), properties(), FaultInjector.NONE)
                .execute("run", full);
        assertThat(summary.runId()).isEqualTo(runId);
        return summary;
    }

    private String manifestState(String runId) {
        return Expected.manifests(fixture.store()).stream().filter(m -> m.runId().equals(runId)).findFirst()
                .map(m -> m.state().name()).orElse("none");
    }

    /** On a store that can tell (the in-memory one): no staged upload left neither completed nor aborted. */
    private void assertNoUploadLeftPending() {
        if (fixture.faultyStore().delegate() instanceof InMemoryObjectStore memory) {
            assertThat(memory.pendingUploads()).isEmpty();
        }
    }

    /** Rows per submission in the files the PIT table reads: those directly in each partition's current folder. */
    private Map<String, Long> tableRowsPerSubmission() {
        return PitFiles.rowsPerSubmission(PitFiles.rowsIn(fixture.store(), Expected.currentFolders(fixture.store(), fixture.clock())));
    }

    /**
     * Every file a committed manifest names is there, unless a compaction has since moved its partition to another folder;
     * every PIT file in a folder the table reads is a committed one or a compaction's output.
     */
    private void assertFilesAccountedFor(String label) {
        Map<PitPartition, String> folders = Expected.currentFolders(fixture.store(), fixture.clock());
        Set<String> committed = Expected.committedFiles(fixture.store());
        Set<String> present = new HashSet<>(PitFiles.keys(fixture.store()));
        // A run that failed after its commit leaves its files staged: the next run completes them (checked once it has).
        Set<String> mustBeThere = new HashSet<>();
        Expected.manifests(fixture.store()).stream().filter(m -> m.state() == ManifestState.DONE)
                .forEach(m -> m.files().forEach(f -> mustBeThere.add(f.key())));
        for (String file : mustBeThere) {
            if (file.startsWith(folders.getOrDefault(PitFiles.partitionOf(file), ""))) {
                assertThat(present).as(label + ": a file a committed manifest names").contains(file);
            }
        }
        for (String file : present) {
            String folder = folders.get(PitFiles.partitionOf(file));
            if (folder != null && file.startsWith(folder) && file.lastIndexOf('/') == folder.length() - 1) {
                assertThat(committed.contains(file) || file.contains("/compacted/"))
                        .as(label + ": " + file + " is in a folder the table reads, but no committed manifest names it").isTrue();
            }
        }
    }

    /** Rows per submission in the PIT table as its readers see it. */
    private Map<String, Long> pitTableRowsPerSubmission() {
        Map<String, Long> counts = new TreeMap<>();
        for (String row : fixture.pitTable()) {
            for (Submission s : sent) {
                if (row.contains(s.id().toString())) {
                    counts.merge(s.id().toString(), 1L, Long::sum);
                }
            }
        }
        return counts;
    }

    /** Every submission sent is in PIT once, in the table as its readers see it, and the latest table is right. */
    protected void assertExactlyOnce() {
        assertThat(Expected.manifests(fixture.store())).as("after a completed run, every run is finished")
                .allSatisfy(m -> assertThat(m.state()).isIn(ManifestState.DONE, ManifestState.ABORTED));
        assertFilesAccountedFor("after a completed run");
        assertThat(tableRowsPerSubmission()).isEqualTo(Expected.rowsPerSubmission(sent));
        Set<PitPartition> partitions = new HashSet<>();
        sent.forEach(s -> partitions.add(new PitPartition(s.businessUnit(), s.requestDate())));
        assertThat(fixture.registeredPartitions()).containsExactlyInAnyOrderElementsOf(partitions);
        assertThat(new HashSet<>(fixture.latestTable())).isEqualTo(Expected.latest(sent));
        assertThat(fixture.messagesLeft()).isZero();
        if (!deadLettered.isEmpty()) {
            assertThat(fixture.deadLetters()).hasSizeGreaterThanOrEqualTo(deadLettered.size());
        }
    }

}
