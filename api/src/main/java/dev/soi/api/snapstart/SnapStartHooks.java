package dev.soi.api.snapstart;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The SnapStart runtime hook of the API on Lambda. The app runs in its own process under the Lambda Web Adapter,
 * so Lambda's in-process runtime hooks cannot reach it; adapter v1.1.0 and later POSTs
 * {@code AWS_LWA_SNAPSTART_AFTER_RESTORE_PATH} after each restore, before any traffic, and answers requests to that
 * path from outside the runtime with 403 itself (template.yaml sets it to {@value #AFTER_RESTORE}).
 */
@RestController
@io.swagger.v3.oas.annotations.Hidden
public class SnapStartHooks {
    public static final String AFTER_RESTORE = "/_snapstart/after-restore";
    private static final Logger log = LoggerFactory.getLogger(SnapStartHooks.class);

    private final SnapStartEntropy entropy;

    public SnapStartHooks(SnapStartEntropy entropy) {
        this.entropy = entropy;
    }

    @PostMapping(AFTER_RESTORE)
    public ResponseEntity<Void> afterRestore() {
        entropy.renew();
        log.info("SnapStart restore: submission-id entropy renewed");
        return ResponseEntity.noContent().build();
    }
}
