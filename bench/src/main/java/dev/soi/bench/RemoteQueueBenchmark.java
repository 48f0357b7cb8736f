package dev.soi.bench;

import dev.soi.aws.SqsQueueProperties;
import dev.soi.aws.SqsSubmissionQueue;
import dev.soi.batch.BatchCommands;
import dev.soi.batch.ops.RunSummary;
import dev.soi.batch.run.BatchPorts;
import dev.soi.batch.run.BatchProperties;
import dev.soi.batch.run.FaultInjector;
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
 * Where a run's time goes when the queue is as far away as SQS: each run on a fresh local stack whose queue waits one
 * round trip per SQS call ({@link RemoteLatencyQueue}), at two sizes: a scheduled run at the design's peak (100
 * submissions of 100 ids; ~83 arrive in 5 minutes at 1,000 POSTs an hour) and a backlog of 10,000 submissions (1M rows).
 * It measured the split after the commit (the deletes beside the rebuild) against deleting in sequence, and showed the
 * split saves at most the delete step's time: see docs/benchmarks.md.
 */
final class RemoteQueueBenchmark {
    private RemoteQueueBenchmark() {}

    static Map<String, Object> run(Duration roundTrip, int runs) throws Exception {
        Map<String, Object> results = new LinkedHashMap<>();
        results.put("round_trip_ms", roundTrip.toMillis());
        measure(100, roundTrip); // warm-up: class loading, the first DuckDB connections
        for (int submissions : new int[] {100, 10_000}) {
            List<Map<String, Object>> measured = new ArrayList<>();
            for (int i = 0; i < runs; i++) {
                measured.add(measure(submissions, roundTrip));
            }
            results.put(submissions + "_submissions", measured);
        }
        return results;
    }

    /** One fresh stack: bootstrap, a seed run (so the measured rebuild is incremental, as at steady state), the backlog. */
    private static Map<String, Object> measure(int submissions, Duration roundTrip) throws Exception {
        Path home = Files.createTempDirectory("soi-bench-remote");
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
                    new SplittableRandom()), properties, FaultInjector.NONE));
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
            figures.putAll(summary.stepMillis());
            System.out.println(submissions + " submissions: " + figures);
            return figures;
        } finally {
            Bench.deleteTree(home);
        }
    }
}
