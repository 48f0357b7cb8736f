package dev.soi.local;

import dev.soi.api.security.LocalTokens;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The commands that ask the running stack to act now: {@code run}, {@code rebuild-latest} and
 * {@code bootstrap}. The stack answers with its run summary; the sentence before it is read from the
 * summary's fields ({@code outcome}, {@code submissions_applied}, {@code latest_version}, {@code failure}).
 */
final class StackCommands {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private StackCommands() {}

    @Command(name = "run", mixinStandardHelpOptions = true, description = "One batch run on the running stack now; prints its summary.")
    static final class Run implements Callable<Integer> {
        @ParentCommand
        Soi soi;
        @Mixin
        JsonOutput output;

        @Override
        public Integer call() {
            return callStack(soi, output, "/local/run");
        }
    }

    @Command(name = "rebuild-latest", mixinStandardHelpOptions = true, description = "Rebuild the latest table on the running stack now.")
    static final class RebuildLatest implements Callable<Integer> {
        @ParentCommand
        Soi soi;
        @Mixin
        JsonOutput output;
        @Option(names = "--full", description = "rebuild from the whole PIT table, not only the units that changed")
        boolean full;

        @Override
        public Integer call() {
            return callStackWithProgress(soi, output, full ? "/local/rebuild-latest?full=true" : "/local/rebuild-latest");
        }
    }

    @Command(name = "bootstrap", mixinStandardHelpOptions = true,
            description = "Create the database and tables on the running stack (idempotent; ./soi local does it at start).")
    static final class Bootstrap implements Callable<Integer> {
        @ParentCommand
        Soi soi;
        @Mixin
        JsonOutput output;

        @Override
        public Integer call() {
            return callStackWithProgress(soi, output, "/local/bootstrap");
        }
    }

    @Command(name = "compact", mixinStandardHelpOptions = true, description = "Compact the PIT partitions of closed days (or up "
            + "to a day, today included) into one file per 128 MB on the running stack now.")
    static final class Compact implements Callable<Integer> {
        @ParentCommand
        Soi soi;
        @Mixin
        JsonOutput output;
        @Option(names = "--through", paramLabel = "YYYY-MM-DD", description = "the last day to compact (default: the last closed day)")
        java.time.LocalDate through;

        @Override
        public Integer call() {
            return callStackWithProgress(soi, output, through == null ? "/local/compact" : "/local/compact?through=" + through);
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true, description = "The lease, the queue depths (visible, in flight, "
            + "dead-lettered), open runs, the last run of each outcome, the latest version and its age, and the oldest unapplied "
            + "submission's age; then each problem that needs an operator, one line naming the object and its repair (exit 4 "
            + "when there is one), and each warning.")
    static final class Status implements Callable<Integer> {
        @ParentCommand
        Soi soi;
        @Mixin
        JsonOutput output;

        @Override
        public Integer call() {
            return call(soi, output);
        }

        static int call(Soi soi, JsonOutput output) {
            Answer answer = ask(soi, "/local/status");
            JsonNode status = answer.json();
            if (answer.code() != 200 || status == null || !status.has("needs_operator")) {
                return print(soi, output, answer, "/local/status");
            }
            StringBuilder lines = new StringBuilder(status.path("summary").asString());
            status.path("problems").forEach(p -> lines.append("\nproblem: ").append(p.asString()));
            status.path("warnings").forEach(w -> lines.append("\nwarning: ").append(w.asString()));
            output.print(soi.out, lines.toString(), answer.body());
            return status.path("needs_operator").asBoolean() ? Soi.NEEDS_OPERATOR : Soi.OK;
        }
    }

    @Command(name = "dlq", mixinStandardHelpOptions = true, description = "The dead-letter queue: list it, or send messages back.",
            subcommands = {DlqList.class, DlqRedrive.class})
    static final class Dlq implements Callable<Integer> {
        @ParentCommand
        Soi soi;

        @Override
        public Integer call() {
            picocli.CommandLine.usage(this, soi.err);
            return Soi.USAGE;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Every dead letter with its submission id, unit and "
            + "reason; they stay in the queue.")
    static final class DlqList implements Callable<Integer> {
        @ParentCommand
        Dlq dlq;
        @Mixin
        JsonOutput output;

        @Override
        public Integer call() {
            return callStack(dlq.soi, output, "/local/dlq");
        }
    }

    @Command(name = "redrive", mixinStandardHelpOptions = true, description = "Send dead letters back to the submission queue; "
            + "the next run applies them.")
    static final class DlqRedrive implements Callable<Integer> {
        @ParentCommand
        Dlq dlq;
        @Mixin
        JsonOutput output;
        @Option(names = "--all", description = "every dead letter")
        boolean all;
        @picocli.CommandLine.Parameters(paramLabel = "SUBMISSION_ID", arity = "0..*", description = "the submissions to send back")
        List<String> ids = List.of();

        @Override
        public Integer call() {
            if (all == !ids.isEmpty()) {
                throw new CliException(Soi.USAGE, "dlq redrive takes --all or one or more submission ids, not both or neither");
            }
            StringBuilder path = new StringBuilder("/local/dlq/redrive?all=").append(all);
            ids.forEach(id -> path.append("&submission_id=").append(java.net.URLEncoder.encode(id, java.nio.charset.StandardCharsets.UTF_8)));
            return callStack(dlq.soi, output, path.toString());
        }
    }

    static int callStack(Soi soi, JsonOutput output, String path) {
        return print(soi, output, ask(soi, path), path);
    }

    /** The stack's answer to one call: its HTTP status, body, and the body as JSON (null if it is not JSON). */
    record Answer(int code, String body, JsonNode json, String port) {}

    static Answer ask(Soi soi, String path) {
        Sent<String> sent = send(soi, path, null, HttpResponse.BodyHandlers.ofString());
        return new Answer(sent.response().statusCode(), sent.response().body(), parse(sent.response().body()), sent.port());
    }

    /**
     * A long command that reports as it goes ({@code compact}, {@code bootstrap}, {@code rebuild-latest}): each unit of work
     * it finishes is one line on stderr as the stack does it (so {@code --json}'s stdout stays one document), then its
     * summary as {@link #callStack} prints it.
     */
    static int callStackWithProgress(Soi soi, JsonOutput output, String path) {
        Sent<Stream<String>> sent = send(soi, path, LocalRunController.PROGRESS, HttpResponse.BodyHandlers.ofLines());
        String last = null;
        try (Stream<String> lines = sent.response().body()) {
            for (String line : (Iterable<String>) lines::iterator) {
                JsonNode node = parse(line);
                if (node != null && node.has("progress")) {
                    soi.err.println("  " + node.get("progress").asString());
                } else if (!line.isBlank()) {
                    last = last == null ? line : last + "\n" + line;
                }
            }
        }
        JsonNode summary = last == null ? null : parse(last);
        int code = sent.response().statusCode();
        if (code == 200 && summary != null && summary.has("outcome")) {
            // Streamed: the status was sent with the first line; the outcome says how it ended, as the plain answer's status would.
            code = switch (summary.get("outcome").asString()) {
                case "COMPLETED" -> 200;
                case "LEASE_HELD" -> 409;
                default -> 500;
            };
        }
        return print(soi, output, new Answer(code, last == null ? "" : last, summary, sent.port()), path);
    }

    private record Sent<T>(HttpResponse<T> response, String port) {}

    private static <T> Sent<T> send(Soi soi, String path, String accept, HttpResponse.BodyHandler<T> body) {
        LauncherSettings settings = soi.settings();
        LocalHome home = soi.stateHome();
        String port = settings.portSet() ? Integer.toString(settings.port()) : portFile(home);
        // The stack's controls are for operators: the command is one, with this home's secret.
        String token = LocalTokens.mint(home.jwtSecret(), "soi-cli", List.of(dev.soi.api.ApiProperties.Auth.DEFAULT_OPERATOR_GROUP),
                Duration.ofMinutes(5));
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Authorization", "Bearer " + token)
                .timeout(Duration.ofMinutes(30))
                .POST(HttpRequest.BodyPublishers.noBody());
        if (accept != null) {
            request.header("Accept", accept);
        }
        try {
            return new Sent<>(HttpClient.newHttpClient().send(request.build(), body), port);
        } catch (ConnectException e) {
            throw new CliException(Soi.FAILED, "no local stack answers on port " + port + "; start it with ./soi local (SOI_HOME=" + home.root() + ")");
        } catch (IOException e) {
            throw new CliException(Soi.FAILED, "calling the local stack on port " + port + " failed: " + Soi.oneLine(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException(Soi.FAILED, "interrupted while waiting for the local stack");
        }
    }

    private static int print(Soi soi, JsonOutput output, Answer answer, String path) {
        JsonNode summary = answer.json();
        if (summary == null || !(summary.has("outcome") || summary.has("summary"))) {
            String detail = summary != null && summary.has("detail") ? summary.get("detail").asString() : "HTTP " + answer.code();
            throw new CliException(Soi.FAILED, "the stack on port " + answer.port() + " refused " + path + ": " + detail);
        }
        output.print(answer.code() == 200 ? soi.out : soi.err, sentence(summary), answer.body());
        return answer.code() == 200 ? Soi.OK : Soi.FAILED;
    }

    /** What happened and what next: the stack's own sentence, or one read from the summary's fields. */
    static String sentence(JsonNode summary) {
        if (summary.hasNonNull("summary")) {
            return summary.get("summary").asString();
        }
        String command = summary.path("command").asString("run");
        String runId = summary.path("run_id").asString("");
        String latest = summary.path("latest_version").isNull() ? null : summary.path("latest_version").asString(null);
        return switch (summary.path("outcome").asString("")) {
            case "COMPLETED" -> switch (command) {
                case "bootstrap" -> "The database and both tables exist (bootstrap is idempotent). Submit with the API, then ./soi run.";
                case "rebuild-latest" -> "Rebuilt the latest table" + (latest == null ? "" : " as version " + latest)
                        + ". Read it with ./soi query or GET …/packages/{name}.";
                default -> "Run " + runId + " applied " + summary.path("submissions_applied").asLong() + " submission(s) ("
                        + summary.path("rows_written").asLong() + " rows in " + summary.path("files_written").asLong() + " file(s))"
                        + (latest == null ? "" : "; latest is version " + latest)
                        + ". Read it with ./soi query or GET …/packages/{name}.";
            };
            case "LEASE_HELD" -> "Another run holds the lease, so this " + command + " did nothing. Try again once it ends (about a minute).";
            case "FAILED" -> command + " " + runId + " failed: " + summary.path("failure").asString("see the stack's log")
                    + ". Nothing half-written is visible; the next run retries.";
            default -> command + " " + runId + " ended " + summary.path("outcome").asString("?") + ".";
        };
    }

    private static String portFile(LocalHome home) {
        try {
            return Files.exists(home.portFile()) ? Files.readString(home.portFile()).strip() : "8080";
        } catch (IOException e) {
            return "8080";
        }
    }

    private static JsonNode parse(String body) {
        try {
            return JSON.readTree(body);
        } catch (RuntimeException e) {
            return null;
        }
    }
}
