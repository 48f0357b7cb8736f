package dev.soi.api.snapstart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

import dev.soi.api.ApiTestSupport;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** The path the Web Adapter POSTs after a SnapStart restore renews the id entropy; no token is involved. */
class SnapStartHooksTest extends ApiTestSupport {
    @Autowired
    SnapStartEntropy entropy;

    @Test
    void theAfterRestoreHookRenewsTheEntropy() throws Exception {
        int before = entropy.renewals();

        int status = mvc.perform(post(SnapStartHooks.AFTER_RESTORE)).andReturn().getResponse().getStatus();

        assertThat(status).isEqualTo(204);
        assertThat(entropy.renewals()).isEqualTo(before + 1);
    }
}
