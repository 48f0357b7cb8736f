package dev.soi.trino;

import dev.soi.core.port.QueryEngine;
import dev.soi.embedded.IncrementalLatestEquivalence;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.lifecycle.AddLifecycleHook;
import net.jqwik.api.lifecycle.LifecycleContext;
import net.jqwik.api.lifecycle.SkipExecutionHook;

/**
 * Incremental == full on Trino, with the CTAS and SELECTs exactly as Athena receives them. Fewer tries than
 * on DuckDB: every statement is a round trip to the server.
 */
@AddLifecycleHook(TrinoIncrementalLatestEquivalenceTest.SkipWithoutTrino.class)
class TrinoIncrementalLatestEquivalenceTest extends IncrementalLatestEquivalence {
    private static final String BUCKET = "s3://soi-property-bucket/";

    @Override
    protected QueryEngine newEngine(Path home) {
        return SharedTrino.engine("df_trusted_prop", Map.of(BUCKET, home.resolve("data").toAbsolutePath() + "/"));
    }

    @Override
    protected Function<String, String> locationOfKey(Path home) {
        return key -> BUCKET + key;
    }

    @Property(tries = 15)
    void incrementalEqualsFullAfterEveryRun(@ForAll("histories") List<List<Version>> runs) throws IOException {
        check(runs);
    }

    /** Reports the property skipped, with the reason, where no Trino can run (JUnit assumptions do not reach jqwik). */
    static final class SkipWithoutTrino implements SkipExecutionHook {
        @Override
        public SkipResult shouldBeSkipped(LifecycleContext context) {
            return SharedTrino.unavailable().map(SkipResult::skip).orElse(SkipResult.doNotSkip());
        }
    }
}
