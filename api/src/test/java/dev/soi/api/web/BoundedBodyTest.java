package dev.soi.api.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import org.junit.jupiter.api.Test;

class BoundedBodyTest {

    @Test
    void aDeclaredLengthOverTheLimitIsRefusedWithoutReading() {
        InputStream unreadable = new InputStream() {
            @Override
            public int read() {
                throw new AssertionError("the body must not be read");
            }
        };

        assertThatThrownBy(() -> BoundedBody.read(unreadable, 2048, 1024))
                .isInstanceOfSatisfying(ApiProblem.class, p -> {
                    assertThat(p.type()).isEqualTo(ProblemType.BODY_TOO_LARGE);
                    assertThat(p.detail()).isEqualTo("request body is limited to 1024 bytes (soi.api.limits.max-body); Content-Length is 2048 bytes");
                });
    }

    @Test
    void aChunkedBodyIsCountedWhileRead() {
        assertThatThrownBy(() -> BoundedBody.read(new ByteArrayInputStream(new byte[1025]), -1, 1024))
                .isInstanceOfSatisfying(ApiProblem.class, p -> assertThat(p.detail())
                        .isEqualTo("request body is limited to 1024 bytes (soi.api.limits.max-body); the body exceeded it while being read"));
    }

    @Test
    void aBodyThatUnderstatesItsLengthIsStillCounted() {
        assertThatThrownBy(() -> BoundedBody.read(new ByteArrayInputStream(new byte[5000]), 10, 1024)).isInstanceOf(ApiProblem.class);
    }

    @Test
    void aBodyAtTheLimitIsRead() {
        assertThat(BoundedBody.read(new ByteArrayInputStream(new byte[1024]), -1, 1024)).hasSize(1024);
    }
}
