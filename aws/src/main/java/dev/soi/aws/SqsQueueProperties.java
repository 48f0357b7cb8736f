package dev.soi.aws;

import static dev.soi.core.domain.Checks.checkArgument;

import java.time.Duration;

/**
 * Tuning of {@link SqsSubmissionQueue}.
 *
 * @param maxEntryRetries  how often a batch entry that SQS failed (not the sender's fault) is sent again
 *                         before the call throws (default 3)
 * @param retryBackoff     pause before the first retry, doubled each time (default 100 ms)
 * @param maxMessageBytes  the queue's MaximumMessageSize; larger bodies are refused before sending
 *                         (default 262,144, SQS's largest)
 */
public record SqsQueueProperties(int maxEntryRetries, Duration retryBackoff, int maxMessageBytes) {
    public static final int SQS_MAX_MESSAGE_BYTES = 262_144;

    public SqsQueueProperties {
        checkArgument(maxEntryRetries >= 0 && maxEntryRetries <= 10, "max entry retries must be 0-10: %d", maxEntryRetries);
        checkArgument(retryBackoff != null && !retryBackoff.isNegative(), "retry backoff must be >= 0: %s", retryBackoff);
        checkArgument(maxMessageBytes >= 1024 && maxMessageBytes <= SQS_MAX_MESSAGE_BYTES,
                "max message bytes must be 1024-%d: %d", SQS_MAX_MESSAGE_BYTES, maxMessageBytes);
    }

    public static SqsQueueProperties defaults() {
        return new SqsQueueProperties(3, Duration.ofMillis(100), SQS_MAX_MESSAGE_BYTES);
    }
}
