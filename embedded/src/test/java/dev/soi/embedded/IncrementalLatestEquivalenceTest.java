package dev.soi.embedded;

import dev.soi.core.port.QueryEngine;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/** Incremental == full on DuckDB, the local engine. */
class IncrementalLatestEquivalenceTest extends IncrementalLatestEquivalence {
    @Override
    protected QueryEngine newEngine(Path home) {
        return new DuckDbQueryEngine(home.resolve("catalog"));
    }

    @Override
    protected Function<String, String> locationOfKey(Path home) {
        return new FileSystemObjectStore(home.resolve("data"))::location;
    }

    @Property(tries = 25)
    void incrementalEqualsFullAfterEveryRun(@ForAll("histories") List<List<Version>> runs) throws IOException {
        check(runs);
    }
}
