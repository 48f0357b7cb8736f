package dev.soi.api.browser;

import static org.assertj.core.api.Assertions.assertThat;

import dev.soi.api.ApiTestSupport;
import dev.soi.api.TestPorts;
import dev.soi.api.TestTime;
import dev.soi.api.fakes.RecordingSubmissionQueue;
import dev.soi.api.security.LocalTokens;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import tools.jackson.databind.JsonNode;

/**
 * Swagger UI as a person uses it, in a real browser: open the page, press Authorize and paste a token, open
 * the POST operation, Try it out, type a body, Execute, and see 202. Needs Debian's {@code chromium}
 * ({@code .ci/run} installs it); without it the test is skipped and says why.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "server.address=127.0.0.1",
        "soi.api.auth.secret=" + ApiTestSupport.SECRET})
@Import({TestPorts.class, TestTime.class})
class SwaggerUiBrowserTest {
    @LocalServerPort
    int port;
    @Autowired
    RecordingSubmissionQueue queue;

    @Test
    void aPersonAuthorisesAndSubmitsThroughSwaggerUiAndSees202() throws Exception {
        Optional<Path> chromium = HeadlessChromium.find();
        if (chromium.isEmpty()) {
            String reason = "Chromium is not installed (no $CHROMIUM, no chromium on the PATH; .ci/run installs it with "
                    + "apt-get install chromium): the Swagger UI browser test is SKIPPED";
            System.err.println("SKIPPED: " + reason);
            Assumptions.abort(reason);
        }
        queue.reset();
        String token = LocalTokens.mint(ApiTestSupport.SECRET, "alice", List.of("AE"), Duration.ofMinutes(10));

        try (HeadlessChromium browser = new HeadlessChromium(chromium.get())) {
            browser.navigate("http://127.0.0.1:" + port + "/swagger-ui/index.html");
            browser.waitFor("document.title", title -> title.asString().contains("Swagger UI"), Duration.ofSeconds(20));

            browser.click(".btn.authorize");
            browser.type(".modal-ux input", token);
            browser.click(".modal-ux .auth-btn-wrapper button.authorize");
            browser.click(".modal-ux button.btn-done");

            browser.click(".opblock-post .opblock-summary-control");
            browser.click(".opblock-post .try-out__btn");
            browser.type(".opblock-post tr[data-param-name='businessUnit'] input", "AE");
            browser.type(".opblock-post textarea.body-param__text",
                    "{\"packages\":[{\"package_name\":\"job_1\",\"reference_ids\":[123,456]}]}");
            browser.click(".opblock-post .btn.execute");

            JsonNode status = browser.waitFor(
                    "document.querySelector('.opblock-post .live-responses-table tbody .response-col_status')?.textContent ?? ''",
                    text -> !text.asString().isBlank(), Duration.ofSeconds(20));
            String curl = browser.eval("document.querySelector('.opblock-post .curl-command')?.textContent ?? ''").asString();

            assertThat(status.asString().strip()).startsWith("202");
            assertThat(curl).contains("Authorization: Bearer " + token);
            assertThat(queue.sent()).hasSize(1);
        }
    }
}
