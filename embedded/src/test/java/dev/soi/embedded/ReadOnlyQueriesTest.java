package dev.soi.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.soi.core.domain.StorageLayout;
import dev.soi.core.port.QueryFailedException;
import dev.soi.core.sql.SqlTemplates;
import dev.soi.core.sql.TableStatements;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ./soi query}'s engine call reads the two tables and nothing else, and writes nothing anywhere. */
class ReadOnlyQueriesTest {
    @TempDir
    Path home;
    DuckDbQueryEngine engine;

    @BeforeEach
    void bootstrap() throws IOException {
        Files.writeString(home.resolve("secret"), "do-not-read");
        engine = new DuckDbQueryEngine(home.resolve("catalog"));
        TableStatements statements = new TableStatements(new SqlTemplates(), "df_trusted_local",
                new FileSystemObjectStore(home.resolve("data"))::location);
        engine.execute(statements.createDatabase());
        engine.execute(statements.createPitTable());
        engine.execute(statements.createLatestTable(StorageLayout.LATEST_TABLE + "/version=initial/",
                java.util.List.of(dev.soi.core.domain.BusinessUnit.of("AE"))));
    }

    @Test
    void aSelectOverTheTwoTablesAndItsOwnCtesRuns() {
        assertThat(engine.queryInteractive("WITH p AS (SELECT * FROM security_of_interest_pit) "
                + "SELECT count(*) AS n FROM p, security_of_interest_latest").rows()).hasSize(1);
    }

    @Test
    void statementsThatAreNotOneSelectAreRefusedBeforeTheyRun() {
        for (String sql : new String[] {"COPY (SELECT 1) TO '" + home.resolve("out.csv") + "'", "ATTACH '" + home.resolve("x.db") + "'",
                "SELECT 1; SELECT 2", "DROP VIEW security_of_interest_pit"}) {
            assertThatThrownBy(() -> engine.queryInteractive(sql)).as(sql).isInstanceOf(IllegalArgumentException.class);
        }
        assertThat(home.resolve("out.csv")).doesNotExist();
        assertThat(home.resolve("x.db")).doesNotExist();
    }

    @Test
    void otherTablesAreRefusedByName() {
        assertThatThrownBy(() -> engine.queryInteractive("SELECT * FROM information_schema.tables"))
                .hasMessage("table tables is not one of security_of_interest_latest, security_of_interest_pit");
    }

    @Test
    void noFileOutsideTheTablesCanBeRead() {
        assertThatThrownBy(() -> engine.queryInteractive("SELECT * FROM read_text('" + home.resolve("secret") + "')"))
                .isInstanceOf(QueryFailedException.class)
                .satisfies(e -> assertThat(((QueryFailedException) e).reason()).startsWith("Permission Error").doesNotContain("\n"));
    }
}
