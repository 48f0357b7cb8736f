package dev.soi.api;

import dev.soi.core.testing.MutableClock;
import java.time.Instant;
import java.util.Random;
import java.util.random.RandomGenerator;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;

/** A settable clock and a seeded id generator, so tests know every submission's time. */
@TestConfiguration(proxyBeanMethods = false)
public class TestTime {
    public static final Instant START = Instant.parse("2026-11-23T03:25:00.123Z");

    @Bean
    MutableClock clock() {
        return new MutableClock(START);
    }

    @Bean
    RandomGenerator random() {
        return new Random(42);
    }
}
