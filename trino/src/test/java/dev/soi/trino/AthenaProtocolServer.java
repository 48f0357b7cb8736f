package dev.soi.trino;

import static dev.soi.core.domain.Checks.requireNonNull;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.soi.core.port.QueryFailedException;
import dev.soi.core.sql.Statement;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Tests only: an Athena endpoint on loopback that runs each statement on Trino. It speaks the AWS JSON 1.1 protocol
 * ({@code X-Amz-Target: AmazonAthena.<Op>}, {@code application/x-amz-json-1.1}) for the four operations
 * {@code AthenaQueryEngine} calls, so the real SDK client and adapter run against it:
 * <ul>
 *   <li>{@code StartQueryExecution} queues the statement and returns its id at once; the statement runs on a worker,
 *       so {@code GetQueryExecution} sees QUEUED, RUNNING, then SUCCEEDED, FAILED (with Trino's message as
 *       {@code StateChangeReason}) or CANCELLED. A repeated {@code ClientRequestToken} returns the first id, and
 *       fails if the query text differs, as Athena's idempotency does.</li>
 *   <li>Statements arrive as text. {@link AthenaTemplateMatcher} finds the template and tokens each was rendered
 *       from; one {@link AthenaToTrino} translates runs translated, every other (any {@code SELECT}, and text no
 *       template fits) runs verbatim. {@code ExecutionParameters} are SQL literals, read back into values and bound.</li>
 *   <li>{@code GetQueryResults} answers in Athena's result format
 *       (https://docs.aws.amazon.com/goto/WebAPI/athena-2017-05-18/GetQueryResults): {@code MaxResults} 1 to
 *       1000, an opaque {@code NextToken}; {@code ColumnInfo} with Athena's type names ({@code varchar},
 *       {@code timestamp}, {@code decimal} with precision and scale: Trino's without their parameters); every value
 *       a {@code VarCharValue} string as Trino renders it, NULL an absent {@code VarCharValue}; and, for a
 *       {@code SELECT} (statement type DML), the column names as the first row of the first page, counted in that
 *       page's {@code MaxResults} (Athena reads the result CSV, header line first; the adapter skips that row).</li>
 *   <li>{@code StopQueryExecution} cancels the running Trino query; the query ends CANCELLED.</li>
 *   <li>Errors come in Athena's shape: HTTP 400, {@code __type} {@code InvalidRequestException}, and a message.</li>
 *   <li>Athena's limits ({@link AthenaLimits}, AWS's defaults unless given): the active-query quotas, which count queued
 *       queries, refuse a start with {@code TooManyRequestsException}; the start rate with {@code ThrottlingException};
 *       a CTAS or INSERT INTO writing more than 100 partitions (and buckets) fails with {@code HIVE_TOO_MANY_OPEN_PARTITIONS}.</li>
 * </ul>
 * Not modelled: result files under the output location (it is echoed back, nothing is written), workgroup
 * settings, and catalogs other than the one Trino catalog. Thread-safe.
 */
public final class AthenaProtocolServer implements AutoCloseable {
    private static final String JSON_TYPE = "application/x-amz-json-1.1";
    private static final int MAX_RESULTS = 1000;
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Pattern INTEGER = Pattern.compile("-?\\d{1,18}");
    private static final Pattern STRING = Pattern.compile("'((?:[^']|'')*)'");
    private static final Pattern DATE = Pattern.compile("DATE '(\\d{4}-\\d{2}-\\d{2})'", Pattern.CASE_INSENSITIVE);
    private static final Pattern TIMESTAMP = Pattern.compile("TIMESTAMP '([0-9: .-]+)'", Pattern.CASE_INSENSITIVE);
    private static final DateTimeFormatter TIMESTAMP_TEXT = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss[.SSS]");
    private static final Pattern TYPE_PARAMETERS = Pattern.compile("\\(\\d+(,\\s*\\d+)?\\)");

    private final TrinoQueryEngine trino;
    private final AthenaTemplateMatcher matcher;
    private final Clock clock;
    private final HttpServer http;
    private final ExecutorService workers;
    private final Map<String, Execution> executions = new ConcurrentHashMap<>();
    private final Map<String, String> byClientToken = new ConcurrentHashMap<>();
    private final List<Execution> started = new CopyOnWriteArrayList<>();
    private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> refused = new ConcurrentHashMap<>();
    private final AthenaLimits limits;
    /** Active queries of the account's other users, as {@link #occupy} holds them: DML, they count against its quota. */
    private int othersActive;

    private AthenaProtocolServer(TrinoQueryEngine trino, AthenaTemplateMatcher matcher, AthenaLimits.Quotas quotas, Clock clock)
            throws IOException {
        this.trino = requireNonNull(trino, "trino engine");
        this.matcher = requireNonNull(matcher, "matcher");
        this.clock = requireNonNull(clock, "clock");
        this.limits = new AthenaLimits(requireNonNull(quotas, "quotas"), clock, new dev.soi.core.sql.SqlTemplates());
        this.workers = Executors.newCachedThreadPool(daemon("athena-query"));
        this.http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        http.setExecutor(Executors.newFixedThreadPool(4, daemon("athena-http")));
        http.createContext("/", this::handle);
        http.start();
    }

    /** Starts the endpoint over {@code trino}, matching statement text against {@code matcher}'s templates, with AWS's limits. */
    public static AthenaProtocolServer start(TrinoQueryEngine trino, AthenaTemplateMatcher matcher) {
        return start(trino, matcher, AthenaLimits.Quotas.aws(), Clock.systemUTC());
    }

    /** As {@link #start(TrinoQueryEngine, AthenaTemplateMatcher)}, with these quotas, on this clock (the start rate's). */
    public static AthenaProtocolServer start(TrinoQueryEngine trino, AthenaTemplateMatcher matcher, AthenaLimits.Quotas quotas,
                                             Clock clock) {
        try {
            return new AthenaProtocolServer(trino, matcher, quotas, clock);
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the Athena endpoint: " + e.getMessage(), e);
        }
    }

    /** What an Athena client's {@code endpointOverride} should point at. */
    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + http.getAddress().getPort());
    }

    /** The query text of every execution started, in order (an idempotent repeat is not a new one). */
    public List<String> statements() {
        return started.stream().map(e -> e.query).toList();
    }

    /** The ids of those executions, in the same order. */
    public List<String> executionIds() {
        return started.stream().map(e -> e.id).toList();
    }

    /**
     * Other users of the account run {@code queries} DML queries (running or queued) until the returned handle is
     * closed: they count against the active-DML quota as the batch's own do, as they do in a shared account.
     */
    public AutoCloseable occupy(int queries) {
        synchronized (limits) {
            othersActive += queries;
        }
        return () -> {
            synchronized (limits) {
                othersActive -= queries;
            }
        };
    }

    /**
     * As {@link #occupy}, let go on a thread of its own once {@code refusals} starts have been refused with
     * {@code TooManyRequestsException} (or after {@code atMost}, so a caller that is never refused is not held forever).
     */
    public void occupyUntilRefused(int queries, int refusals, Duration atMost) {
        AutoCloseable others = occupy(queries);
        Thread release = new Thread(() -> {
            try {
                org.awaitility.Awaitility.await().atMost(atMost).pollInterval(Duration.ofMillis(5))
                        .until(() -> refused("TooManyRequestsException") >= refusals);
            } catch (org.awaitility.core.ConditionTimeoutException e) {
                // Never refused that often: let go anyway, and the caller's own assertion on refused() says so.
            }
            try {
                others.close();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, "athena-other-users");
        release.setDaemon(true);
        release.start();
    }

    /** How often a start was refused with error {@code type} ({@code TooManyRequestsException}, {@code ThrottlingException}). */
    public int refused(String type) {
        AtomicInteger count = refused.get(type);
        return count == null ? 0 : count.get();
    }

    /** How often operation {@code operation} ({@code GetQueryResults}, …) was called. */
    public int calls(String operation) {
        AtomicInteger count = calls.get(operation);
        return count == null ? 0 : count.get();
    }

    @Override
    public void close() {
        http.stop(0);
        executions.values().forEach(e -> e.cancellation.cancel());
        workers.shutdownNow();
        ((ExecutorService) http.getExecutor()).shutdownNow();
    }

    /** One query execution; its state moves only forwards, under its own lock. */
    private final class Execution {
        final String id = UUID.randomUUID().toString();
        final JsonNode request;
        final String query;
        final Instant submitted;
        final Cancellation cancellation = new Cancellation();
        String state = "QUEUED";
        final boolean dml;
        String reason;
        Instant runningSince;
        Instant completed;
        String statementType;
        long scannedBytes;
        TrinoQueryEngine.TextResult result;

        Execution(JsonNode request, Instant submitted) {
            this.request = request;
            this.query = request.path("QueryString").asString();
            this.submitted = submitted;
            this.statementType = statementType(query);
            this.dml = AthenaLimits.isDml(query);
        }

        synchronized boolean active() {
            return completed == null;
        }

        void run(Statement statement) {
            synchronized (this) {
                if (!state.equals("QUEUED")) {
                    return;
                }
                state = "RUNNING";
                runningSince = clock.instant();
            }
            try {
                limits.checkPartitionsWritten(trino, query, statement.parameters());
                Optional<TrinoQueryEngine.TextResult> rows = trino.run(statement, cancellation);
                finish(cancellation.cancelled() ? "CANCELLED" : "SUCCEEDED", cancellation.cancelled() ? cancelled() : null, rows.orElse(null));
            } catch (QueryFailedException | IllegalArgumentException | AthenaLimits.LimitExceeded e) {
                finish(cancellation.cancelled() ? "CANCELLED" : "FAILED", cancellation.cancelled() ? cancelled() : e.getMessage(), null);
            } catch (RuntimeException e) {
                finish("FAILED", e.toString(), null);
            }
        }

        synchronized void finish(String finalState, String why, TrinoQueryEngine.TextResult rows) {
            if (completed != null) {
                return;
            }
            state = finalState;
            reason = why;
            result = rows;
            scannedBytes = cancellation.physicalInputBytes();
            completed = clock.instant();
        }

        void stop() {
            synchronized (this) {
                if (completed != null) {
                    return;
                }
                if (state.equals("QUEUED")) {
                    cancellation.cancel();
                    finish("CANCELLED", cancelled(), null);
                    return;
                }
            }
            // Outside the lock: cancelling waits on Trino, and the worker takes the lock to finish.
            cancellation.cancel();
        }

        private static String cancelled() {
            return "Query cancelled by StopQueryExecution";
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            if (!"POST".equals(exchange.getRequestMethod()) || target == null || !target.startsWith("AmazonAthena.")) {
                error(exchange, "UnknownOperationException", "expected a POST with X-Amz-Target AmazonAthena.<operation>, got "
                        + exchange.getRequestMethod() + " " + target);
                return;
            }
            String operation = target.substring("AmazonAthena.".length());
            calls.computeIfAbsent(operation, k -> new AtomicInteger()).incrementAndGet();
            try {
                JsonNode request = JSON.readTree(body.length == 0 ? "{}".getBytes(StandardCharsets.UTF_8) : body);
                ObjectNode response = switch (operation) {
                    case "StartQueryExecution" -> startQueryExecution(request);
                    case "GetQueryExecution" -> getQueryExecution(request);
                    case "GetQueryResults" -> getQueryResults(request);
                    case "StopQueryExecution" -> stopQueryExecution(request);
                    default -> throw new UnknownOperation(operation);
                };
                respond(exchange, 200, response);
            } catch (AthenaLimits.Refused e) {
                refused.computeIfAbsent(e.type, k -> new AtomicInteger()).incrementAndGet();
                refuse(exchange, e);
            } catch (InvalidRequest e) {
                error(exchange, "InvalidRequestException", e.getMessage());
            } catch (UnknownOperation e) {
                error(exchange, "UnknownOperationException", "this Athena stand-in has no operation " + e.getMessage());
            } catch (RuntimeException e) {
                error(exchange, "InvalidRequestException", "cannot read the request: " + e.getMessage());
            }
        }
    }

    private ObjectNode startQueryExecution(JsonNode request) {
        String query = required(request, "QueryString");
        List<Object> parameters = new ArrayList<>();
        for (JsonNode parameter : request.path("ExecutionParameters")) {
            parameters.add(value(parameter.asString()));
        }
        String token = request.path("ClientRequestToken").asString(null);
        Execution execution = new Execution(request, clock.instant());
        // A repeat of an admitted start is that execution; a refused start was never one, so its retry is a new start.
        synchronized (limits) {
            String first = token == null ? null : byClientToken.get(token);
            if (first != null) {
                if (!executions.get(first).query.equals(query)) {
                    throw new InvalidRequest("Idempotent parameters do not match: ClientRequestToken " + token
                            + " was used with another QueryString");
                }
                return JSON.createObjectNode().put("QueryExecutionId", first);
            }
            limits.admit(query, executions.values().stream().filter(e -> e.dml == execution.dml && e.active()).count()
                    + (execution.dml ? othersActive : 0));
            executions.put(execution.id, execution);
            if (token != null) {
                byClientToken.put(token, execution.id);
            }
        }
        started.add(execution);
        Statement statement = matcher.match(query, parameters).orElseGet(() -> new Statement("verbatim", query, Map.of(), parameters));
        workers.submit(() -> execution.run(statement));
        return JSON.createObjectNode().put("QueryExecutionId", execution.id);
    }

    private ObjectNode getQueryExecution(JsonNode request) {
        Execution e = execution(request);
        ObjectNode out = JSON.createObjectNode();
        ObjectNode qe = out.putObject("QueryExecution");
        synchronized (e) {
            qe.put("QueryExecutionId", e.id);
            qe.put("Query", e.query);
            qe.put("StatementType", e.statementType);
            qe.put("WorkGroup", e.request.path("WorkGroup").asString("primary"));
            JsonNode context = e.request.path("QueryExecutionContext");
            if (context.isObject()) {
                qe.set("QueryExecutionContext", context);
            }
            String output = e.request.path("ResultConfiguration").path("OutputLocation").asString(null);
            if (output != null) {
                qe.putObject("ResultConfiguration").put("OutputLocation", output + (output.endsWith("/") ? "" : "/") + e.id + ".csv");
            }
            if (e.request.path("ExecutionParameters").isArray()) {
                qe.set("ExecutionParameters", e.request.path("ExecutionParameters"));
            }
            ObjectNode status = qe.putObject("Status");
            status.put("State", e.state);
            status.put("SubmissionDateTime", epochSeconds(e.submitted));
            if (e.completed != null) {
                status.put("CompletionDateTime", epochSeconds(e.completed));
            }
            if (e.reason != null) {
                status.put("StateChangeReason", e.reason);
            }
            if (e.state.equals("FAILED")) {
                // Category 2 is a user error; Athena also sets a numeric ErrorType, which Trino's message does not map to.
                status.putObject("AthenaError").put("ErrorCategory", 2).put("ErrorMessage", e.reason).put("Retryable", false);
            }
            ObjectNode statistics = qe.putObject("Statistics");
            Instant now = clock.instant();
            Instant end = e.completed == null ? now : e.completed;
            statistics.put("TotalExecutionTimeInMillis", end.toEpochMilli() - e.submitted.toEpochMilli());
            statistics.put("QueryQueueTimeInMillis", (e.runningSince == null ? end : e.runningSince).toEpochMilli() - e.submitted.toEpochMilli());
            statistics.put("EngineExecutionTimeInMillis", e.runningSince == null ? 0 : end.toEpochMilli() - e.runningSince.toEpochMilli());
            statistics.put("DataScannedInBytes", e.completed == null ? e.cancellation.physicalInputBytes() : e.scannedBytes);
        }
        return out;
    }

    private ObjectNode getQueryResults(JsonNode request) {
        Execution e = execution(request);
        int maxResults = request.path("MaxResults").asInt(MAX_RESULTS);
        if (maxResults < 1 || maxResults > MAX_RESULTS) {
            throw new InvalidRequest("MaxResults must be between 1 and " + MAX_RESULTS + ": " + maxResults);
        }
        TrinoQueryEngine.TextResult result;
        synchronized (e) {
            if (e.state.equals("QUEUED") || e.state.equals("RUNNING")) {
                throw new InvalidRequest("Query has not yet finished. Current state: " + e.state);
            }
            if (!e.state.equals("SUCCEEDED")) {
                throw new InvalidRequest("Query did not finish successfully. Final query state: " + e.state
                        + (e.reason == null ? "" : "\n" + e.reason));
            }
            result = e.result;
        }
        boolean header = result != null && e.statementType.equals("DML");
        int total = result == null ? 0 : result.rows().size() + (header ? 1 : 0);
        int offset = offset(request, e.id);
        ObjectNode out = JSON.createObjectNode();
        out.put("UpdateCount", 0);
        ObjectNode resultSet = out.putObject("ResultSet");
        ArrayNode rows = resultSet.putArray("Rows");
        ArrayNode columns = resultSet.putObject("ResultSetMetadata").putArray("ColumnInfo");
        if (result != null) {
            for (int c = 0; c < result.columns().size(); c++) {
                String type = result.types().get(c);
                columns.addObject()
                        .put("CatalogName", "hive").put("SchemaName", "").put("TableName", "")
                        .put("Name", result.columns().get(c)).put("Label", result.columns().get(c))
                        .put("Type", TYPE_PARAMETERS.matcher(type).replaceAll(""))
                        .put("Precision", result.precisions().get(c)).put("Scale", result.scales().get(c))
                        .put("Nullable", "UNKNOWN").put("CaseSensitive", type.startsWith("varchar") || type.startsWith("char"));
            }
            for (int i = offset; i < Math.min(total, offset + maxResults); i++) {
                List<String> values = header && i == 0 ? result.columns() : result.rows().get(i - (header ? 1 : 0));
                ArrayNode data = rows.addObject().putArray("Data");
                for (String value : values) {
                    ObjectNode datum = data.addObject();
                    if (value != null) {
                        datum.put("VarCharValue", value);
                    }
                }
            }
        }
        if (offset + maxResults < total) {
            out.put("NextToken", Base64.getUrlEncoder().withoutPadding()
                    .encodeToString((e.id + "/" + (offset + maxResults)).getBytes(StandardCharsets.UTF_8)));
        }
        return out;
    }

    private ObjectNode stopQueryExecution(JsonNode request) {
        execution(request).stop();
        return JSON.createObjectNode();
    }

    private Execution execution(JsonNode request) {
        String id = required(request, "QueryExecutionId");
        Execution execution = executions.get(id);
        if (execution == null) {
            throw new InvalidRequest("QueryExecution " + id + " was not found");
        }
        return execution;
    }

    private static int offset(JsonNode request, String id) {
        String token = request.path("NextToken").asString(null);
        if (token == null) {
            return 0;
        }
        try {
            String decoded = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
            if (decoded.startsWith(id + "/")) {
                return Integer.parseInt(decoded.substring(id.length() + 1));
            }
        } catch (IllegalArgumentException e) {
            // falls through to the error below
        }
        throw new InvalidRequest("NextToken " + token + " is not a token of query " + id);
    }

    private static String required(JsonNode request, String field) {
        String value = request.path(field).asString(null);
        if (value == null || value.isEmpty()) {
            throw new InvalidRequest(field + " is required");
        }
        return value;
    }

    /** An execution parameter, an SQL literal as {@code AthenaQueryEngine} writes one, as the value it stands for. */
    static Object value(String literal) {
        Matcher m;
        if (INTEGER.matcher(literal).matches()) {
            return Long.parseLong(literal);
        }
        if ((m = STRING.matcher(literal)).matches()) {
            return m.group(1).replace("''", "'");
        }
        if ((m = DATE.matcher(literal)).matches()) {
            return LocalDate.parse(m.group(1));
        }
        if ((m = TIMESTAMP.matcher(literal)).matches()) {
            return LocalDateTime.parse(m.group(1), TIMESTAMP_TEXT).toInstant(ZoneOffset.UTC);
        }
        throw new InvalidRequest("this Athena stand-in reads integer, string, DATE and TIMESTAMP literals as execution parameters, not: " + literal);
    }

    /** Athena's statement types: DML for queries, DDL for catalog changes, UTILITY for the rest. */
    static String statementType(String query) {
        String first = query.stripLeading().split("\\s+", 2)[0].toUpperCase(Locale.ROOT);
        return switch (first) {
            case "SELECT", "WITH", "VALUES", "INSERT", "TABLE" -> "DML";
            case "CREATE", "ALTER", "DROP", "MSCK" -> "DDL";
            default -> "UTILITY";
        };
    }

    private static double epochSeconds(Instant instant) {
        return instant.toEpochMilli() / 1000.0;
    }

    private static void respond(HttpExchange exchange, int status, ObjectNode body) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        exchange.getResponseHeaders().set("Content-Type", JSON_TYPE);
        exchange.getResponseHeaders().set("x-amzn-RequestId", UUID.randomUUID().toString());
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static void refuse(HttpExchange exchange, AthenaLimits.Refused refusal) throws IOException {
        exchange.getResponseHeaders().set("x-amzn-ErrorType", refusal.type);
        ObjectNode body = JSON.createObjectNode().put("__type", refusal.type).put("Message", refusal.getMessage());
        if (refusal.reason != null) {
            body.put("Reason", refusal.reason);
        }
        respond(exchange, 400, body);
    }

    private static void error(HttpExchange exchange, String type, String message) throws IOException {
        exchange.getResponseHeaders().set("x-amzn-ErrorType", type);
        respond(exchange, 400, JSON.createObjectNode().put("__type", type).put("Message", message));
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /** A request Athena would refuse with InvalidRequestException. */
    private static final class InvalidRequest extends RuntimeException {
        InvalidRequest(String message) {
            super(message);
        }
    }

    private static final class UnknownOperation extends RuntimeException {
        UnknownOperation(String operation) {
            super(operation);
        }
    }
}
