package dev.soi.local;

import dev.soi.batch.BatchCommands;
import dev.soi.batch.ops.RunSummary;
import dev.soi.batch.run.ProgressListener;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.json.JsonMapper;

/**
 * What {@code ./soi run}, {@code rebuild-latest}, {@code bootstrap}, {@code compact}, {@code status} and {@code dlq} call on
 * the running stack: the same batch commands the scheduler and the Lambda run, now. For operators only
 * ({@link LocalSecurityConfiguration}; the CLI mints an operator token from {@code SOI_HOME}). Answers with the run
 * summary as JSON: 200 when the command completed, 409 when another run holds the lease, 500 when it failed (the
 * summary's {@code failure} field says why; the data is as the commit protocol left it, and the next run recovers).
 */
@RestController
public class LocalRunController {
    private final BatchCommands commands;

    public LocalRunController(BatchCommands commands) {
        this.commands = commands;
    }

    @PostMapping("/local/run")
    public ResponseEntity<Map<String, Object>> run() {
        return respond(commands.run());
    }

    @PostMapping("/local/rebuild-latest")
    public ResponseEntity<Map<String, Object>> rebuildLatest(@RequestParam(defaultValue = "false") boolean full,
                                                             @RequestHeader(value = HttpHeaders.ACCEPT, required = false) String accept,
                                                             HttpServletResponse response) throws IOException {
        return answer(accept, response, progress -> commands.rebuildLatest(full, progress));
    }

    /** {@code ./soi compact [--through DATE]}: compacts every eligible partition up to the day (ISO), or the last closed day. */
    @PostMapping("/local/compact")
    public ResponseEntity<Map<String, Object>> compact(@RequestParam(required = false) String through,
                                                       @RequestHeader(value = HttpHeaders.ACCEPT, required = false) String accept,
                                                       HttpServletResponse response) throws IOException {
        LocalDate day = through == null || through.isBlank() ? null : LocalDate.parse(through);
        return answer(accept, response, progress -> commands.compact(day, progress));
    }

    @PostMapping("/local/bootstrap")
    public ResponseEntity<Map<String, Object>> bootstrap(@RequestHeader(value = HttpHeaders.ACCEPT, required = false) String accept,
                                                         HttpServletResponse response) throws IOException {
        return answer(accept, response, commands::bootstrap);
    }

    /**
     * The summary as JSON, or, when the caller accepts {@value #PROGRESS} only ({@code ./soi compact}, {@code bootstrap},
     * {@code rebuild-latest}), the command's progress as it goes: one line {@code {"progress": "..."}} per unit of work,
     * written on this request's thread as the unit finishes, then the summary as the last line. The status is then 200
     * from the first line on, and the summary's {@code outcome} says how it ended.
     */
    private static ResponseEntity<Map<String, Object>> answer(String accept, HttpServletResponse response,
                                                              Function<ProgressListener, RunSummary> command) throws IOException {
        if (accept == null || !accept.strip().equals(PROGRESS)) {
            return respond(command.apply(ProgressListener.NONE));
        }
        response.setStatus(200);
        response.setContentType(PROGRESS);
        OutputStream out = response.getOutputStream();
        RunSummary summary = command.apply(update -> line(out, Map.of("progress", update.line())));
        line(out, summary.toMap());
        return null;
    }

    /** What a caller accepts to hear a long command's progress line by line. */
    static final String PROGRESS = "application/x-ndjson";
    private static final JsonMapper LINES = JsonMapper.builder().build();

    private static void line(OutputStream out, Map<String, Object> document) {
        try {
            out.write((LINES.writeValueAsString(document) + "\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
        } catch (IOException e) {
            // The caller went away; the command goes on (a listener must not throw), and its summary is in the log.
        }
    }

    @RequestMapping(path = "/local/status", method = {RequestMethod.GET, RequestMethod.POST})
    public Map<String, Object> status() {
        return commands.status().toMap();
    }

    @RequestMapping(path = "/local/dlq", method = {RequestMethod.GET, RequestMethod.POST})
    public ResponseEntity<Map<String, Object>> dlqList() {
        return respond(commands.dlqList());
    }

    /** Sends dead letters back to the queue: every one with {@code all=true}, else those of the submission ids. */
    @PostMapping("/local/dlq/redrive")
    public ResponseEntity<Map<String, Object>> dlqRedrive(@RequestParam(defaultValue = "false") boolean all,
                                                          @RequestParam(name = "submission_id", required = false) List<String> ids) {
        return respond(commands.dlqRedrive(all, ids == null ? List.of() : ids));
    }

    private static ResponseEntity<Map<String, Object>> respond(RunSummary summary) {
        int status = switch (summary.outcome()) {
            case COMPLETED -> 200;
            case LEASE_HELD -> 409;
            case FAILED -> 500;
        };
        return ResponseEntity.status(status).body(summary.toMap());
    }
}
