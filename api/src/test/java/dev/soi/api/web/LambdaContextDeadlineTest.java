package dev.soi.api.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

class LambdaContextDeadlineTest {
    private final LambdaContextDeadline filter = new LambdaContextDeadline();

    @Test
    void theWebAdaptersLambdaContextSetsTheDeadlineForTheRequestOnly() throws Exception {
        MockHttpServletRequest request = new MockHttpServletRequest("GET", "/api/v1/x");
        request.addHeader(LambdaContextDeadline.HEADER, "{\"request_id\":\"r-1\",\"deadline\":1790000029000,\"invoked_function_arn\":\"arn\"}");
        List<Optional<Instant>> seen = new ArrayList<>();

        filter.doFilter(request, new MockHttpServletResponse(), new MockFilterChain(new jakarta.servlet.http.HttpServlet() {
            @Override
            protected void service(jakarta.servlet.http.HttpServletRequest req, jakarta.servlet.http.HttpServletResponse res) {
                seen.add(filter.deadline());
            }
        }));

        assertThat(seen).containsExactly(Optional.of(Instant.ofEpochMilli(1790000029000L).minus(LambdaContextDeadline.MARGIN)));
        assertThat(filter.deadline()).isEmpty();
    }

    @Test
    void noOrAMalformedHeaderMeansNoDeadline() {
        assertThat(LambdaContextDeadline.parse(null)).isNull();
        assertThat(LambdaContextDeadline.parse("not json")).isNull();
        assertThat(LambdaContextDeadline.parse("{\"request_id\":\"r\"}")).isNull();
    }
}
