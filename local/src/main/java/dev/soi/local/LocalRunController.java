package dev.soi.local;

import dev.soi.batch.BatchCommands;
import dev.soi.batch.ops.RunSummary;
import java.util.List;
import java.util.Map;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

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
    public ResponseEntity<Map<String, Object>> rebuildLatest(@RequestParam(defaultValue = "false") boolean full) {
        return respond(commands.rebuildLatest(full));
    }

    /** {@code ./soi compact [--through DATE]}: compacts every eligible partition up to the day (ISO), or the last closed day. */
    @PostMapping("/local/compact")
    public ResponseEntity<Map<String, Object>> compact(@RequestParam(required = false) String through) {
        return respond(commands.compact(through == null || through.isBlank() ? null : java.time.LocalDate.parse(through)));
    }

    @PostMapping("/local/bootstrap")
    public ResponseEntity<Map<String, Object>> bootstrap() {
        return respond(commands.bootstrap());
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
