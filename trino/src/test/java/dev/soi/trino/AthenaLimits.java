package dev.soi.trino;

import static dev.soi.core.domain.Checks.checkArgument;
import static dev.soi.core.sql.SqlTemplates.tokens;

import dev.soi.core.sql.SqlTemplates;
import dev.soi.core.sql.SqlToken;
import dev.soi.core.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Tests only: Athena's limits as the {@link AthenaProtocolServer} enforces them, with AWS's defaults.
 *
 * <ul>
 *   <li><b>Active queries</b>, DML and DDL apart, count running and queued queries alike; a start past the quota is
 *       refused with {@code TooManyRequestsException}. DML is SELECT, CTAS and INSERT INTO (a CTAS counts as DML);
 *       DDL the rest (https://docs.aws.amazon.com/athena/latest/ug/service-limits.html). Defaults: us-east-1's 200 active
 *       DML and 20 active DDL queries (https://docs.aws.amazon.com/general/latest/gr/athena.html; other Regions have
 *       fewer DML, down to 20).</li>
 *   <li><b>StartQueryExecution's rate</b>: a token bucket refilled at 20 calls a second, holding up to 80, past which a
 *       start is refused with {@code ThrottlingException} (the per-account API quotas of the same page).</li>
 *   <li><b>Partitions written</b> by one CTAS or INSERT INTO: at most 100 partition and bucket combinations; more
 *       fail the query with Athena's {@code HIVE_TOO_MANY_OPEN_PARTITIONS}
 *       (https://docs.aws.amazon.com/athena/latest/ug/ctas-considerations-limitations.html).</li>
 * </ul>
 */
public final class AthenaLimits {
    private static final Pattern CTAS = Pattern.compile("(?is)\\s*CREATE\\s+TABLE\\s+(\\S+)\\s+WITH\\s*\\((.*?)\\)\\s*AS\\s+(.*)");
    private static final Pattern INSERT = Pattern.compile("(?is)\\s*INSERT\\s+INTO\\s+([a-z0-9_]+)\\.([a-z0-9_]+)(\\s*\\([^)]*\\))?\\s+(.*)");
    private static final Pattern PARTITIONED_BY = Pattern.compile("(?is)partitioned_by\\s*=\\s*ARRAY\\s*\\[([^]]*)]");
    private static final Pattern BUCKET_COUNT = Pattern.compile("(?is)bucket_count\\s*=\\s*(\\d+)");

    /** The quotas and limits; {@link #aws()} has AWS's defaults. */
    public record Quotas(int activeDmlQueries, int activeDdlQueries, double startsPerSecond, int startBurst, int maxPartitionsWritten) {
        public Quotas {
            checkArgument(activeDmlQueries >= 1 && activeDdlQueries >= 1 && startsPerSecond > 0 && startBurst >= 1
                    && maxPartitionsWritten >= 1, "every quota must be positive");
        }

        public static Quotas aws() {
            return new Quotas(200, 20, 20, 80, 100);
        }

        /** The same, with both active-query quotas at {@code queries}: an account busy with other users' queries. */
        public Quotas withActiveQueries(int queries) {
            return new Quotas(queries, queries, startsPerSecond, startBurst, maxPartitionsWritten);
        }
    }

    /** A start Athena refuses: the error's type, its message, and its reason code. */
    static final class Refused extends RuntimeException {
        final String type;
        final String reason;

        Refused(String type, String message, String reason) {
            super(message, null, false, false);
            this.type = type;
            this.reason = reason;
        }
    }

    /** A query Athena fails for a limit, its message Athena's. */
    static final class LimitExceeded extends RuntimeException {
        LimitExceeded(String message) {
            super(message, null, false, false);
        }
    }

    private final Quotas quotas;
    private final Clock clock;
    private final SqlTemplates templates;
    private double tokens;
    private Instant refilled;

    AthenaLimits(Quotas quotas, Clock clock, SqlTemplates templates) {
        this.quotas = quotas;
        this.clock = clock;
        this.templates = templates;
        this.tokens = quotas.startBurst();
        this.refilled = clock.instant();
    }

    /** Whether a query counts against the DML quota (else the DDL one). */
    static boolean isDml(String query) {
        String first = query.stripLeading().split("\\s+", 2)[0].toUpperCase(Locale.ROOT);
        return switch (first) {
            case "SELECT", "WITH", "VALUES", "INSERT", "TABLE", "UNLOAD" -> true;
            case "CREATE" -> CTAS.matcher(query).matches();
            default -> false;
        };
    }

    /**
     * Admits one start, or refuses it: with {@code ThrottlingException} past the call rate, with
     * {@code TooManyRequestsException} when {@code active} queries of its kind are already running or queued. The caller
     * holds the lock that makes the count and the admission one step.
     */
    void admit(String query, long active) {
        Instant now = clock.instant();
        tokens = Math.min(quotas.startBurst(), tokens + Duration.between(refilled, now).toNanos() / 1e9 * quotas.startsPerSecond());
        refilled = now;
        if (tokens < 1) {
            throw new Refused("ThrottlingException", "Rate exceeded", null);
        }
        int quota = isDml(query) ? quotas.activeDmlQueries() : quotas.activeDdlQueries();
        if (active >= quota) {
            throw new Refused("TooManyRequestsException", "You have exceeded the limit for the number of queries you can run "
                    + "concurrently. Please reduce the number of concurrent queries submitted by this account. Contact customer "
                    + "service to request a concurrent query limit increase.", "CONCURRENT_QUERY_LIMIT_EXCEEDED");
        }
        tokens -= 1;
    }

    /**
     * Fails a CTAS or INSERT INTO whose query would write more partition and bucket combinations than the limit, as
     * Athena fails it; every other statement passes. Counts with one query on Trino.
     */
    void checkPartitionsWritten(TrinoQueryEngine trino, String query, List<Object> parameters) {
        Matcher ctas = CTAS.matcher(query);
        Matcher insert = INSERT.matcher(query);
        List<String> columns;
        long buckets = 1;
        String select;
        if (ctas.matches()) {
            Matcher partitioned = PARTITIONED_BY.matcher(ctas.group(2));
            columns = partitioned.find() ? names(partitioned.group(1)) : List.of();
            Matcher bucketCount = BUCKET_COUNT.matcher(ctas.group(2));
            buckets = bucketCount.find() ? Long.parseLong(bucketCount.group(1)) : 1;
            select = ctas.group(3);
        } else if (insert.matches()) {
            columns = partitionColumns(trino, insert.group(1), insert.group(2));
            select = insert.group(4);
            if (!columns.isEmpty()) {
                // An INSERT's query maps to the table's columns by position, and partition columns come last.
                List<String> output = trino.run(verbatim("trino/query_columns", tokens("query", fragment(select)), parameters),
                        new Cancellation()).orElseThrow().columns();
                columns = output.subList(output.size() - columns.size(), output.size());
            }
        } else {
            return;
        }
        long partitions = columns.isEmpty() ? 1 : count(trino, columns, select, parameters);
        if (partitions * buckets > quotas.maxPartitionsWritten()) {
            throw new LimitExceeded("HIVE_TOO_MANY_OPEN_PARTITIONS: Exceeded limit of " + quotas.maxPartitionsWritten()
                    + " open writers for partitions/buckets (this statement writes " + partitions + " partitions of " + buckets + " buckets)");
        }
    }

    private long count(TrinoQueryEngine trino, List<String> columns, String select, List<Object> parameters) {
        List<Statement> names = columns.stream().map(c -> templates.render("trino/column", tokens("column", SqlToken.identifier(c)))).toList();
        Statement count = verbatim("trino/count_written_partitions", tokens("columns", SqlToken.fragment(names, ", "),
                "query", fragment(select)), parameters);
        return Long.parseLong(trino.run(count, new Cancellation()).orElseThrow().rows().get(0).get(0));
    }

    private List<String> partitionColumns(TrinoQueryEngine trino, String schema, String table) {
        return trino.run(templates.render("trino/partition_columns", Map.of(), schema, table), new Cancellation())
                .orElseThrow().rows().stream().map(row -> row.get(0)).toList();
    }

    /** The statement's text as received, as one fragment (no parameters bound inside it). */
    private static SqlToken fragment(String text) {
        return SqlToken.fragment(List.of(new Statement("verbatim", text, Map.of(), List.of())), "");
    }

    /** A stand-in template around the received query, its parameters bound to the query's own placeholders. */
    private Statement verbatim(String template, Map<String, SqlToken> tokens, List<Object> parameters) {
        return templates.render(template, tokens, parameters.toArray());
    }

    private static List<String> names(String array) {
        List<String> names = new ArrayList<>();
        for (String item : array.split(",")) {
            String name = item.strip();
            if (name.startsWith("'") && name.endsWith("'")) {
                names.add(name.substring(1, name.length() - 1).toLowerCase(Locale.ROOT));
            }
        }
        return names;
    }
}
