package dev.soi.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The API's classpath (what the Lambda package copies) carries neither the embedded stand-ins nor the Parquet
 * writer: the API depends on core and aws only. DuckDB alone is 80 MB of Lambda's 250 MB unzipped limit, and the
 * API never writes a Parquet file. The test classpath is a superset of the runtime one, so absence here is
 * absence there.
 */
class LambdaClasspathTest {
    @Test
    void embeddedStandInsAreNotOnTheApiClasspath() {
        List<String> standIns = List.of("dev.soi.embedded.DuckDbQueryEngine", "org.duckdb.DuckDBDriver",
                "org.elasticmq.rest.sqs.SQSRestServer", "scala.Option", "org.h2.Driver");
        assertThat(standIns).filteredOn(LambdaClasspathTest::loadable).isEmpty();
    }

    @Test
    void parquetWriterAndItsLibrariesAreNotOnTheApiClasspath() {
        List<String> parquet = List.of("dev.soi.parquet.PitParquetWriter", "org.apache.parquet.hadoop.ParquetWriter",
                "org.apache.parquet.avro.AvroParquetWriter", "org.apache.avro.Schema", "org.xerial.snappy.Snappy",
                "org.apache.hadoop.conf.Configuration");
        assertThat(parquet).filteredOn(LambdaClasspathTest::loadable).isEmpty();
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
