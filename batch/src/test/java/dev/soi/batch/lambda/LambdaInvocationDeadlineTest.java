package dev.soi.batch.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class LambdaInvocationDeadlineTest {
    private static final Instant NOW = Instant.parse("2026-11-23T03:00:00Z");

    @Test
    void theDeadlineIsTheRemainingTimeLessTheMargin() {
        LambdaInvocationDeadline deadline = new LambdaInvocationDeadline(() -> NOW);

        deadline.begin(900_000);

        assertThat(deadline.deadline()).contains(NOW.plusSeconds(900).minus(LambdaInvocationDeadline.MARGIN));
    }

    @Test
    void noDeadlineOutsideAnInvocation() {
        LambdaInvocationDeadline deadline = new LambdaInvocationDeadline(() -> NOW);
        assertThat(deadline.deadline()).isEmpty();

        deadline.begin(60_000);
        deadline.end();

        assertThat(deadline.deadline()).isEmpty();
    }
}
