package dev.soi.bench;

import dev.soi.aws.SqsQueueProperties;
import dev.soi.aws.SqsSubmissionQueue;
import dev.soi.batch.BatchCommands;
import dev.soi.batch.BatchProperties;
import dev.soi.batch.RunSummary;
import dev.soi.batch.job.BatchPorts;
import dev.soi.batch.job.FaultInjector;
import dev.soi.core.domain.RunId;
import dev.soi.core.lease.ObjectStoreRunLease;
import dev.soi.core.message.SubmissionMessages;
import dev.soi.core.port.SubmissionQueue;
import dev.soi.core.sql.SqlTemplates;
import dev.soi.core.sql.TableStatements;
import dev.soi.embedded.DuckDbQueryEngine;
import dev.soi.embedded.ElasticMqServer;
import dev.soi.embedded.FileSystemObjectStore;
import dev.soi.embedded.RecordingEventPublisher;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Whether {@code run}'s split after the commit (delete-messages beside register-partitions ▶ rebuild-latest) pays when
 * the queue is remote: the same backlog applied by the split job and by the job that deletes before it registers,
 * alternately, each on a fresh local stack whose queue waits one round trip per SQS call ({@link RemoteLatencyQueue}).
 * Sizes: a scheduled run at the design's peak (100 submissions of 100 ids; ~83 arrive in 5 minutes at 1,000 POSTs an
 * hour) and a backlog of 10,000 submissions (1M rows).
 */
final class SplitBenchmark {
    private static final java.util.Set<String> AFTER_COMMIT = java.util.Set.of("delete-messages", "register-partitions", "rebuild-latest");
    private SplitBenchmark() {}

    static Map<String, Object> run(Duration roundTrip, int pairs) throws Exception {
        Map<String, Object> results = new LinkedHashMap<>();
        results.put("round_trip_ms", roundTrip.toMillis());
        measure(100, roundTrip, true); // warm-up: class loading, the first DuckDB connections
        measure(100, roundTrip, false);
        for (int submissions : new int[] {100, 10_000}) {
            List<Map<String, Object>> split = new ArrayList<>();
            List<Map<String, Object>> sequential = new ArrayList<>();
            for (int i = 0; i < pairs; i++) {
                split.add(measure(submissions, roundTrip, true));
                sequential.add(measure(submissions, roundTrip, false));
            }
            Map<String, Object> size = new LinkedHashMap<>();
            size.put("split_run_ms", column(split, "run_ms"));
            size.put("sequential_run_ms", column(sequential, "run_ms"));
            size.put("split_after_commit_ms", column(split, "after_commit_ms"));
            size.put("sequential_after_commit_ms", column(sequential, "after_commit_ms"));
            size.put("split_steps", split);
            size.put("sequential_steps", sequential);
            results.put(submissions + "_submissions", size);
        }
        return results;
    }

    private static List<Object> column(List<Map<String, Object>> runs, String key) {
        return runs.stream().map(r -> r.get(key)).toList();
    }

    /** One fresh stack: bootstrap, a seed run (so the measured rebuild is incremental, as at steady state), the backlog. */
    private static Map<String, Object> measure(int submissions, Duration roundTrip, boolean overlapDeletes) throws Exception {
        Path home = Files.createTempDirectory("soi-bench-split");
        try (ElasticMqServer server = ElasticMqServer.start(ElasticMqServer.Options.inMemory())) {
            FileSystemObjectStore store = new FileSystemObjectStore(home.resolve("data"));
            SubmissionQueue local = new SqsSubmissionQueue(server.client(), server.queueUrl(), server.dlqUrl(), SqsQueueProperties.defaults());
            SubmissionQueue remote = new RemoteLatencyQueue(local, roundTrip);
            DuckDbQueryEngine engine = new DuckDbQueryEngine(home.resolve("catalog"));
            TableStatements statements = new TableStatements(new SqlTemplates(), "df_trusted_bench", store::location);
            SubmissionMessages messages = new SubmissionMessages(store);
            Clock clock = Clock.systemUTC();
            BatchProperties properties = BatchProperties.builder().units(java.util.Set.copyOf(Bench.UNITS)).receivers(4)
                    .maxMessages(submissions + 1000).maxSeconds(1200).build();
            BatchCommands commands = new BatchCommands(new BatchPorts(store, remote, engine, new RecordingEventPublisher(),
                    new ObjectStoreRunLease(store, clock), statements, messages, clock, () -> RunId.generate(clock.instant(),
                    new SplittableRandom()), properties, FaultInjector.NONE), overlapDeletes);
            commands.bootstrap();
            Bench.enqueueBacklog(local, messages, clock, Bench.UNITS, 100, 100);
            commands.run();
            Bench.enqueueBacklog(local, messages, clock, Bench.UNITS, submissions, 100);
            System.gc();
            RunSummary summary = commands.run();
            if (summary.outcome() != RunSummary.Outcome.COMPLETED || summary.submissionsApplied() != submissions) {
                throw new IllegalStateException("the measured run did not apply the backlog: " + summary.line());
            }
            Map<String, Object> figures = new LinkedHashMap<>();
            figures.put("run_ms", summary.durationMillis());
            // What the split can change: from the commit's end to the compaction steps (the run less every other step).
            long outside = summary.stepMillis().entrySet().stream().filter(e -> !AFTER_COMMIT.contains(e.getKey()))
                    .mapToLong(Map.Entry::getValue).sum();
            figures.put("after_commit_ms", summary.durationMillis() - outside);
            figures.putAll(summary.stepMillis());
            System.out.println((overlapDeletes ? "split      " : "sequential ") + submissions + " submissions: " + figures);
            return figures;
        } finally {
            Bench.deleteTree(home);
        }
    }
}
