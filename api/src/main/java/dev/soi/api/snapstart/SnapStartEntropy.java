package dev.soi.api.snapstart;

import java.security.SecureRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.random.RandomGenerator;

/**
 * The submission-id entropy, renewable after a SnapStart restore. Lambda resumes every execution environment of
 * a version from one snapshot, so a {@link SecureRandom} created during initialisation would hand the same
 * sequence to all of them. AWS's guidance is to create unique content, including "entropy that's used to
 * generate pseudorandomness", after initialisation or in a restore hook
 * (https://docs.aws.amazon.com/lambda/latest/dg/snapstart-uniqueness.html). The Web Adapter calls
 * {@link SnapStartHooks} after each restore, which calls {@link #renew()}; a new {@code SecureRandom} seeds itself
 * from the operating system on first use, in the restored environment. Thread-safe.
 */
public final class SnapStartEntropy {
    private volatile SecureRandom current = new SecureRandom();
    private final AtomicInteger renewals = new AtomicInteger();
    private final RandomGenerator view = new RandomGenerator() {
        @Override
        public long nextLong() {
            return current.nextLong();
        }

        @Override
        public int nextInt() {
            return current.nextInt();
        }

        @Override
        public void nextBytes(byte[] bytes) {
            current.nextBytes(bytes);
        }
    };

    /** Draws from whichever generator is current, so holders of it never need to be told of a restore. */
    public RandomGenerator generator() {
        return view;
    }

    /** Replaces the generator with a fresh one, seeded from this environment's entropy. */
    public void renew() {
        current = new SecureRandom();
        renewals.incrementAndGet();
    }

    /** How often {@link #renew()} ran (0 without SnapStart). */
    public int renewals() {
        return renewals.get();
    }

    SecureRandom current() {
        return current;
    }
}
