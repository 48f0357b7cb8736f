package dev.soi.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The API's classpath (what the Lambda package copies) carries none of the local stand-ins' engines: core
 * declares them optional. DuckDB alone is 80 MB of Lambda's 250 MB unzipped limit.
 */
class LambdaClasspathTest {
    @Test
    void localStandInEnginesAreNotOnTheApiClasspath() {
        List<String> standIns = List.of("org.duckdb.DuckDBDriver", "org.elasticmq.rest.sqs.SQSRestServer", "scala.Option",
                "org.h2.Driver");
        assertThat(standIns).filteredOn(LambdaClasspathTest::loadable).isEmpty();
    }

    private static boolean loadable(String className) {
        try {
            Class.forName(className, false, LambdaClasspathTest.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }
}
