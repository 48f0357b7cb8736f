package dev.soi.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import dev.soi.core.domain.StorageLayout;
import dev.soi.embedded.DuckDbQueryEngine;
import dev.soi.embedded.FileSystemObjectStore;
import dev.soi.core.sql.SqlTemplates;
import dev.soi.core.sql.TableStatements;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The {@code ./soi} launcher as a user meets it: exit codes, the one line on stderr, and what it refuses to
 * do. Commands run in this JVM through {@link Soi#run} with the environment given explicitly; nothing here
 * starts the stack, since every refusal happens before it would.
 */
class SoiCommandLineTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    Path temp;

    record Result(int exit, String out, String err) {}

    private Result soi(Map<String, String> env, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = Soi.run(args, env, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private Map<String, String> env(Path home, String... pairs) {
        Map<String, String> env = new HashMap<>(Map.of("SOI_HOME", home.toString()));
        for (int i = 0; i < pairs.length; i += 2) {
            env.put(pairs[i], pairs[i + 1]);
        }
        return env;
    }

    /** A home a stack has run in: its secret, and a bootstrapped catalog with both (empty) tables. */
    private Path stackHome() {
        Path home = temp.resolve("home");
        LocalHome local = new LocalHome(home);
        local.jwtSecret();
        DuckDbQueryEngine engine = new DuckDbQueryEngine(local.catalog());
        TableStatements statements = new TableStatements(new SqlTemplates(), "df_trusted_local", new FileSystemObjectStore(local.data())::location);
        engine.execute(statements.createDatabase());
        engine.execute(statements.createPitTable());
        engine.execute(statements.createLatestTable(StorageLayout.LATEST_TABLE + "/version=initial/",
                java.util.List.of(dev.soi.core.domain.BusinessUnit.of("AE"))));
        return home;
    }

    private static void assertOneLineNoTrace(Result result) {
        assertThat(result.err().strip().lines()).hasSize(1);
        assertThat(result.err()).startsWith("soi: ").doesNotContain("Exception", "\tat ", "interactive");
    }

    @Nested
    class UnknownFlags {
        @ParameterizedTest
        @ValueSource(strings = {"local", "run", "rebuild-latest", "bootstrap", "token --user alice --business-unit AE", "query SELECT"})
        void everyCommandRefusesAnUnknownFlagWithItsUsageAndExit2(String line) {
            List<String> args = new java.util.ArrayList<>(List.of(line.split(" ")));
            String command = args.get(0);
            args.add("--bogus");

            Result result = soi(env(temp.resolve("none")), args.toArray(String[]::new));

            assertThat(result.exit()).isEqualTo(2);
            assertThat(result.err()).contains("Unknown option: '--bogus'").contains("Usage: ./soi " + command);
            assertThat(temp.resolve("none")).doesNotExist();
        }

        @Test
        void rebuildLatestFastIsRefusedNotRunSilently() {
            Result result = soi(env(temp.resolve("none")), "rebuild-latest", "--fast");

            assertThat(result.exit()).isEqualTo(2);
            assertThat(result.err()).contains("Unknown option: '--fast'").contains("[--full]");
        }

        @Test
        void anUnknownCommandIsExit2AndNoCommandPrintsTheUsage() {
            assertThat(soi(env(temp), "frobnicate").exit()).isEqualTo(2);
            Result none = soi(env(temp));
            assertThat(none.exit()).isEqualTo(2);
            assertThat(none.err()).contains("Usage: ./soi", "Exit codes:", "SOI_SCHEDULE");
        }

        @Test
        void helpDocumentsTheExitCodesAndTtl() {
            Result help = soi(env(temp), "--help");
            Result token = soi(env(temp), "token", "--help");

            assertThat(help.exit()).isZero();
            assertThat(help.out()).contains("0 done; 1 the command failed", "2 usage", "3 SOI_HOME",
                    "4 status found a problem that needs an operator");
            assertThat(token.out()).contains("--ttl=DURATION", "90s, 30m, 12h, 1d");
        }
    }

    @Nested
    class BadValues {
        @Test
        void aTtlThatIsNotADurationNamesTheFlag() {
            Result result = soi(env(stackHome()), "token", "--user", "alice", "--business-unit", "AE", "--ttl", "abc");

            assertThat(result.exit()).isEqualTo(2);
            assertThat(result.err()).contains("Invalid value for option '--ttl': 'abc' is not a duration; write a number and a unit")
                    .doesNotContain("DateTimeParseException", "\tat ");
        }

        @Test
        void aTtlOverTheStacksCapIsRefused() {
            Result result = soi(env(stackHome()), "token", "--user", "alice", "--business-unit", "AE", "--ttl", "2d");

            assertThat(result.exit()).isEqualTo(2);
            assertThat(result.err()).contains("soi.api.auth.max-token-lifetime");
        }

        @Test
        void aPortOutOfRangeIsOneLineNamingTheVariable() {
            Result result = soi(env(temp.resolve("home"), "SOI_PORT", "99999"), "local");

            assertThat(result.exit()).isEqualTo(2);
            assertThat(result.err().strip()).isEqualTo("soi: SOI_PORT=\"99999\" is not a port: use 1-65535, or 0 for any free one (server.port)");
        }

        @Test
        void aScheduleWithoutAUnitIsRefusedSayingSo() {
            Result result = soi(env(temp.resolve("home"), "SOI_SCHEDULE", "5"), "local");

            assertThat(result.exit()).isEqualTo(2);
            assertThat(result.err().strip()).isEqualTo("soi: SOI_SCHEDULE=\"5\" needs a unit: write 5s, 5m or 5h (soi.local.schedule)");
        }

        @Test
        void aBadBusinessUnitListNamesTheVariable() {
            Result result = soi(env(temp.resolve("home"), "SOI_BUSINESS_UNITS", "AE,cmf"), "local");

            assertThat(result.exit()).isEqualTo(2);
            assertOneLineNoTrace(result);
            assertThat(result.err()).contains("SOI_BUSINESS_UNITS=\"AE,cmf\"", "(soi.business-units)");
        }

        @Test
        void goodSettingsAreTakenWithTheirUnits() {
            LauncherSettings settings = LauncherSettings.from(Map.of("SOI_PORT", "0", "SOI_SCHEDULE", "2m", "SOI_BUSINESS_UNITS", "AE, FX"));

            assertThat(settings.port()).isZero();
            assertThat(settings.schedule()).isEqualTo(Duration.ofMinutes(2));
            assertThat(settings.registry().businessUnits()).containsExactly("AE", "FX");
            assertThat(LauncherSettings.schedule("PT30S")).isEqualTo(Duration.ofSeconds(30));
        }
    }

    @Nested
    class OneStackPerHome {
        // A second stack must refuse at once, not wait for the lock: while the holder lives, a waiting acquire would
        // never return, so the command returning while the holder still holds the lock is the proof (no stopwatch,
        // which a loaded machine can fail); the timeout only turns such a hang into a red test.
        @Test
        @Timeout(value = 2, unit = TimeUnit.MINUTES)
        void aSecondStackFailsAtOnceNamingPidAndPortAndADeadHolderLeavesNothingStuck() throws Exception {
            Path home = temp.resolve("home");
            Process holder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), StackLockHolder.class.getName(), home.toString(), "8123")
                    .redirectErrorStream(true).start();
            try {
                BufferedReader lines = new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8));
                assertThat(lines.readLine()).isEqualTo("locked");

                Result second = soi(env(home), "local");

                assertThat(second.exit()).isEqualTo(3);
                assertThat(second.err().strip()).isEqualTo("soi: a stack is already running on this SOI_HOME (pid " + holder.pid()
                        + ", port 8123): " + home.toAbsolutePath().normalize() + "; stop it, or set SOI_HOME to another folder");
                assertThat(holder.isAlive()).as("the first stack still held the lock when the second gave up").isTrue();
            } finally {
                holder.destroyForcibly();  // SIGKILL: no shutdown hook, no cleanup
                holder.waitFor();
            }
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
                try (StackLock lock = StackLock.acquire(new LocalHome(home))) {
                    assertThat(Files.readString(home.resolve("stack.lock"))).startsWith("pid " + ProcessHandle.current().pid() + ", starting");
                }
            });
        }
    }

    @Nested
    class ClientCommandsDoNotInventState {
        @ParameterizedTest
        @ValueSource(strings = {"token --user alice --business-unit AE", "run", "rebuild-latest", "bootstrap", "query SELECT 1"})
        void anEmptyOrWrongHomeIsRefusedAndLeftAlone(String command) {
            Path wrong = temp.resolve("no-such-home");
            String[] args = command.startsWith("query") ? new String[] {"query", "SELECT 1"} : command.split(" ");

            Result result = soi(env(wrong), args);

            assertThat(result.exit()).isEqualTo(3);
            assertThat(result.err().strip()).isEqualTo("soi: no stack state under " + wrong.toAbsolutePath().normalize()
                    + "; is SOI_HOME right? (./soi local creates it on its first start)");
            assertThat(wrong).doesNotExist();
        }

        @Test
        void anExistingButEmptyHomeGetsNoSecret() throws IOException {
            Path empty = Files.createDirectories(temp.resolve("empty"));

            assertThat(soi(env(empty), "token", "--user", "alice", "--business-unit", "AE").exit()).isEqualTo(3);
            assertThat(empty).isEmptyDirectory();
        }

        @Test
        void aTokenForAUnitOutsideTheRegistryIsRefusedUnlessForced() {
            Path home = stackHome();

            Result refused = soi(env(home), "token", "--user", "alice", "--business-unit", "ZZ");
            Result forced = soi(env(home), "token", "--user", "alice", "--business-unit", "ZZ", "--force", "--raw");

            assertThat(refused.exit()).isEqualTo(2);
            assertThat(refused.err().strip()).isEqualTo("soi: business unit ZZ is not in the registry (SOI_BUSINESS_UNITS=AE,CMF), "
                    + "so the stack answers 404 for it; pass --force to mint the token anyway");
            assertThat(refused.out()).isEmpty();
            assertThat(forced.exit()).isZero();
            assertThat(forced.err()).startsWith("soi: warning: business unit ZZ is not in the registry");
            assertThat(forced.out().strip()).matches("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+");
        }

        @Test
        void theRegistryIsTheOneInSoiBusinessUnits() {
            assertThat(soi(env(stackHome(), "SOI_BUSINESS_UNITS", "AE,ZZ"), "token", "--user", "alice", "--business-unit", "ZZ").exit()).isZero();
        }
    }

    @Nested
    class QueryIsAReader {
        @Test
        void aSelectOverTheTablesAnswers() {
            Result result = soi(env(stackHome()), "query", "SELECT count(*) AS n FROM security_of_interest_pit");

            assertThat(result.exit()).as(result.err()).isZero();
            assertThat(result.out()).startsWith("1 row from the local engine; --json gives them as JSON.\n");
        }

        @ParameterizedTest
        @ValueSource(strings = {"COPY (SELECT 1) TO '%s/copied.csv'", "ATTACH '%s/attached.db'",
                "CREATE TABLE t AS SELECT 1", "INSERT INTO security_of_interest_pit SELECT * FROM security_of_interest_pit",
                "SELECT 1; COPY (SELECT 1) TO '%s/copied.csv'", "INSTALL httpfs", "SET enable_external_access = true"})
        void anythingButASelectIsRefusedAndWritesNothing(String template) {
            Result result = soi(env(stackHome()), "query", template.formatted(temp));

            assertThat(result.exit()).isEqualTo(1);
            assertOneLineNoTrace(result);
            assertThat(result.err()).startsWith("soi: query refused: ");
            assertThat(temp.resolve("copied.csv")).doesNotExist();
            assertThat(temp.resolve("attached.db")).doesNotExist();
        }

        @Test
        void anotherTableIsRefused() {
            Result result = soi(env(stackHome()), "query", "SELECT * FROM duckdb_settings_table");

            assertThat(result.err().strip()).isEqualTo("soi: query refused: table duckdb_settings_table is not one of "
                    + "security_of_interest_latest, security_of_interest_pit");
        }

        @Test
        void filesOutsideTheTablesCannotBeRead() {
            Path home = stackHome();
            for (String sql : List.of("SELECT * FROM read_csv('/etc/passwd')", "SELECT * FROM read_text('" + home.resolve("jwt-secret") + "')",
                    "SELECT * FROM security_of_interest_pit, read_blob('" + home.resolve("jwt-secret") + "')")) {
                Result result = soi(env(home), "query", sql);

                assertThat(result.exit()).as(sql).isEqualTo(1);
                assertOneLineNoTrace(result);
                assertThat(result.err()).startsWith("soi: query failed: Permission Error");
                assertThat(result.out()).isEmpty();
            }
        }

        @Test
        void aValueWithAControlCharacterStaysOnOneLineOfTheTable() {
            Result result = soi(env(stackHome()), "query", "SELECT 'ali' || chr(10) || 'ce' AS submitted_by");

            assertThat(result.out()).contains("ali\\nce").doesNotContain("ali\nce");
        }

        @Test
        void aSyntaxErrorIsOneLine() {
            Result result = soi(env(stackHome()), "query", "SELEC nonsense");

            assertThat(result.exit()).isEqualTo(1);
            assertOneLineNoTrace(result);
        }

        @Test
        void jsonGivesTheRowsAlone() {
            Result result = soi(env(stackHome()), "query", "--json", "SELECT 41 + 1 AS answer FROM security_of_interest_latest UNION ALL SELECT 42");

            JsonNode document = JSON.readTree(result.out());
            assertThat(document.get("columns").get(0).asString()).isEqualTo("answer");
            assertThat(document.get("rows").get(0).get(0).asInt()).isEqualTo(42);
        }
    }

    @Nested
    class OutputPeopleRead {
        @Test
        void tokenPrintsASentenceThenTheJsonOrTheJsonAloneOrTheTokenAlone() {
            Path home = stackHome();

            Result plain = soi(env(home), "token", "--user", "alice", "--business-unit", "AE,CMF", "--ttl", "30m");
            Result json = soi(env(home), "token", "--user", "alice", "--business-unit", "AE", "--json");
            Result raw = soi(env(home), "token", "--user", "alice", "--business-unit", "AE", "--raw");

            List<String> lines = plain.out().lines().toList();
            assertThat(lines.get(0)).startsWith("A token for alice (business units AE, CMF), valid until ").contains("Authorization: Bearer");
            JsonNode document = JSON.readTree(String.join("\n", lines.subList(1, lines.size())));
            assertThat(document.get("business_units").toString()).isEqualTo("[\"AE\",\"CMF\"]");
            assertThat(document.get("token").asString()).isNotBlank();
            assertThat(JSON.readTree(json.out()).get("user").asString()).isEqualTo("alice");
            assertThat(raw.out().strip()).doesNotContain(" ", "{");
        }

        @Test
        void runPrintsASentenceFromTheSummaryThenItsJson() throws IOException {
            Path home = stackHome();
            String summary = "{\"run_id\":\"r1\",\"command\":\"run\",\"outcome\":\"COMPLETED\",\"submissions_applied\":2,\"rows_written\":3,"
                    + "\"files_written\":1,\"latest_version\":\"r1\",\"failure\":null}";
            HttpServer stack = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            stack.createContext("/local/run", exchange -> {
                byte[] body = summary.getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
                exchange.close();
            });
            stack.start();
            try {
                Map<String, String> env = env(home, "SOI_PORT", Integer.toString(stack.getAddress().getPort()));

                Result plain = soi(env, "run");
                Result json = soi(env, "run", "--json");

                assertThat(plain.exit()).isZero();
                assertThat(plain.out().lines().toList()).containsExactly(
                        "Run r1 applied 2 submission(s) (3 rows in 1 file(s)); latest is version r1. Read it with ./soi query or GET …/packages/{name}.",
                        summary);
                assertThat(json.out().strip()).isEqualTo(summary);
            } finally {
                stack.stop(0);
            }
        }

        @Test
        void statusPrintsEachProblemAndWarningAsALineAndExits4WhenOneNeedsAnOperator() throws IOException {
            Path home = stackHome();
            String healthy = "{\"summary\":\"No run holds the lease.\",\"needs_operator\":false,\"problems\":[],\"warnings\":[]}";
            String damaged = "{\"summary\":\"1 problem needs an operator (each names its repair). No run holds the lease.\","
                    + "\"needs_operator\":true,\"problems\":[\"the run lease _lease cannot be read. Repair: delete _lease\"],"
                    + "\"warnings\":[\"this clock reads 2026-11-23T03:00:00Z, 445 s before _journal/last-done.json was written\"]}";
            java.util.concurrent.atomic.AtomicReference<String> answer = new java.util.concurrent.atomic.AtomicReference<>(healthy);
            List<String> tokens = new java.util.concurrent.CopyOnWriteArrayList<>();
            HttpServer stack = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            stack.createContext("/local/status", exchange -> {
                tokens.add(exchange.getRequestHeaders().getFirst("Authorization"));
                byte[] body = answer.get().getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
                exchange.close();
            });
            stack.start();
            try {
                Map<String, String> env = env(home, "SOI_PORT", Integer.toString(stack.getAddress().getPort()));

                Result fine = soi(env, "status");
                answer.set(damaged);
                Result broken = soi(env, "status");
                Result json = soi(env, "status", "--json");

                assertThat(fine.exit()).isZero();
                assertThat(fine.out().lines().toList()).containsExactly("No run holds the lease.", healthy);
                assertThat(broken.exit()).isEqualTo(4);
                assertThat(broken.out().lines().toList()).containsExactly(
                        "1 problem needs an operator (each names its repair). No run holds the lease.",
                        "problem: the run lease _lease cannot be read. Repair: delete _lease",
                        "warning: this clock reads 2026-11-23T03:00:00Z, 445 s before _journal/last-done.json was written", damaged);
                assertThat(json.exit()).isEqualTo(4);
                assertThat(json.out().strip()).isEqualTo(damaged);
                String payload = new String(java.util.Base64.getUrlDecoder().decode(tokens.get(0).substring("Bearer ".length()).split("\\.")[1]),
                        StandardCharsets.UTF_8);
                assertThat(JSON.readTree(payload).get("business_units").toString()).as("the command mints an operator's token")
                        .isEqualTo("[\"soi-operator\"]");
            } finally {
                stack.stop(0);
            }
        }

        @Test
        void noStackAnsweringIsOneLineAndExit1() {
            Result result = soi(env(stackHome(), "SOI_PORT", "1"), "bootstrap");

            assertThat(result.exit()).isEqualTo(1);
            assertThat(result.err().strip()).startsWith("soi: no local stack answers on port 1; start it with ./soi local");
        }
    }
}
