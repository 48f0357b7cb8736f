package dev.soi.aws;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.glue.GlueClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Glue's JSON protocol ({@code X-Amz-Target: AWSGlue.<Operation>}) for the table-version operations, counting versions per
 * table as Glue does: {@code CreateTable} makes version 1, each {@code UpdateTable} archives one more (none with
 * {@code SkipArchive}), {@code GetTableVersions} pages them ({@code MaxResults} ≤ 100, {@code NextToken}),
 * {@code BatchDeleteTableVersion} deletes up to 100 (more is a {@code ValidationException}; a missing one is an
 * {@code EntityNotFoundException} entry in {@code Errors}), and an update past the version limit per table fails with
 * Glue's {@code ResourceNumberLimitExceededException}. The limit is Glue's 100,000 unless a test lowers it. One table
 * name space (the database is checked to be the one given). Thread-safe; binds to 127.0.0.1 on a port the system picks.
 */
public final class GlueStandIn implements AutoCloseable {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    static {
        // The JDK server leaves Nagle's algorithm on, and each small answer then waits for the client's delayed ACK
        // (about 40 ms): read once, when the server's configuration class loads.
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    private final String database;
    private final int limit;
    private final HttpServer server;
    /** Per table: its live version ids, ascending, and the next id. */
    private final Map<String, TreeMap<Long, Boolean>> versions = new HashMap<>();
    private final Map<String, Long> next = new HashMap<>();

    public GlueStandIn(String database, int limitPerTable) {
        this.database = database;
        this.limit = limitPerTable;
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", this::handle);
        server.start();
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** A client of this stand-in, with the static credentials it accepts. */
    public GlueClient client() {
        return GlueClient.builder().endpointOverride(endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .httpClientBuilder(ApacheHttpClient.builder()).build();
    }

    /** How many versions Glue holds of {@code table}, the current one included. */
    public synchronized int versions(String table) {
        return versions.getOrDefault(table, new TreeMap<>()).size();
    }

    private void handle(HttpExchange exchange) throws IOException {
        String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
        JsonNode body = JSON.readTree(exchange.getRequestBody().readAllBytes());
        int status = 200;
        ObjectNode answer = JSON.createObjectNode();
        try {
            if (target == null || !target.startsWith("AWSGlue.")) {
                throw new Failure(400, "UnknownOperationException", "no operation " + target);
            }
            if (!database.equals(body.path("DatabaseName").asString(""))) {
                throw new Failure(400, "EntityNotFoundException", "Database " + body.path("DatabaseName").asString("") + " not found.");
            }
            switch (target.substring("AWSGlue.".length())) {
                case "CreateTable" -> create(body.path("TableInput").path("Name").asString());
                case "UpdateTable" -> update(body.path("TableInput").path("Name").asString(), body.path("SkipArchive").asBoolean(false));
                case "GetTableVersions" -> page(body, answer);
                case "BatchDeleteTableVersion" -> delete(body, answer);
                default -> throw new Failure(400, "UnknownOperationException", "not served here: " + target);
            }
        } catch (Failure f) {
            status = f.status;
            answer = JSON.createObjectNode();
            answer.put("__type", f.code);
            answer.put("Message", f.getMessage());
        }
        byte[] bytes = JSON.writeValueAsBytes(answer);
        exchange.getResponseHeaders().add("Content-Type", "application/x-amz-json-1.1");
        if (status != 200) {
            exchange.getResponseHeaders().add("X-Amzn-ErrorType", answer.path("__type").asString());
        }
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    private synchronized void create(String table) {
        if (versions.containsKey(table)) {
            throw new Failure(400, "AlreadyExistsException", "Table already exists.");
        }
        versions.put(table, new TreeMap<>());
        next.put(table, 1L);
        archive(table);
    }

    private synchronized void update(String table, boolean skipArchive) {
        TreeMap<Long, Boolean> live = existing(table);
        if (skipArchive) {
            // The current version is replaced in place: the count stays.
            return;
        }
        if (live.size() >= limit) {
            throw new Failure(400, "ResourceNumberLimitExceededException",
                    "Number of TABLE_VERSION resources exceeds the limit " + limit + " per TABLE");
        }
        archive(table);
    }

    private void archive(String table) {
        long id = next.merge(table, 1L, Long::sum) - 1;
        versions.get(table).put(id, Boolean.TRUE);
    }

    private synchronized void page(JsonNode body, ObjectNode answer) {
        TreeMap<Long, Boolean> live = existing(body.path("TableName").asString());
        int max = body.path("MaxResults").asInt(100);
        if (max < 1 || max > 100) {
            throw new Failure(400, "ValidationException", "MaxResults must be 1-100: " + max);
        }
        long after = body.hasNonNull("NextToken") ? Long.parseLong(body.get("NextToken").asString()) : Long.MAX_VALUE;
        // Newest first, as Glue lists them.
        List<Long> ids = new ArrayList<>(live.headMap(after, false).descendingKeySet());
        ArrayNode page = answer.putArray("TableVersions");
        for (Long id : ids.subList(0, Math.min(max, ids.size()))) {
            ObjectNode version = page.addObject();
            version.put("VersionId", String.valueOf(id));
            version.putObject("Table").put("Name", body.path("TableName").asString()).put("DatabaseName", database);
        }
        if (ids.size() > max) {
            answer.put("NextToken", String.valueOf(ids.get(max - 1)));
        }
    }

    private synchronized void delete(JsonNode body, ObjectNode answer) {
        String table = body.path("TableName").asString();
        TreeMap<Long, Boolean> live = existing(table);
        JsonNode ids = body.path("VersionIds");
        if (ids.size() > 100) {
            throw new Failure(400, "ValidationException", "VersionIds: at most 100 items, got " + ids.size());
        }
        ArrayNode errors = answer.putArray("Errors");
        for (JsonNode id : ids) {
            if (live.remove(Long.parseLong(id.asString())) == null) {
                ObjectNode error = errors.addObject();
                error.put("TableName", table);
                error.put("VersionId", id.asString());
                error.putObject("ErrorDetail").put("ErrorCode", "EntityNotFoundException").put("ErrorMessage", "Version not found.");
            }
        }
    }

    private TreeMap<Long, Boolean> existing(String table) {
        TreeMap<Long, Boolean> live = versions.get(table);
        if (live == null) {
            throw new Failure(400, "EntityNotFoundException", "Table " + table + " not found.");
        }
        return live;
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private static final class Failure extends RuntimeException {
        final int status;
        final String code;

        Failure(int status, String code, String message) {
            super(message);
            this.status = status;
            this.code = code;
        }
    }
}
