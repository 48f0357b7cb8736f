package dev.soi.api.snapstart;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import org.junit.jupiter.api.Test;

class SnapStartEntropyTest {
    @Test
    void renewingReplacesTheGeneratorThatTheViewDrawsFrom() {
        SnapStartEntropy entropy = new SnapStartEntropy();
        SecureRandom beforeSnapshot = entropy.current();

        entropy.renew();

        assertThat(entropy.current()).isNotSameAs(beforeSnapshot);
        assertThat(entropy.renewals()).isEqualTo(1);
        entropy.generator().nextLong(); // draws from the new instance without anyone re-wiring
    }
}
