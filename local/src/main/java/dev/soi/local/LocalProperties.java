package dev.soi.local;

import static dev.soi.core.domain.Checks.checkArgument;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings of the local stack, bound from {@code soi.local.*} (and the {@code SOI_*} variables through
 * {@code application.properties}).
 *
 * @param schedule how often the in-process scheduler starts a batch run ({@code SOI_SCHEDULE}, default 60 s,
 *                 at least 1 s)
 * @param queuePort the port of the embedded SQS endpoint (0, the default, picks a free one)
 * @param queueMinFreeBytes the free space the device holding {@code SOI_HOME/queue} must keep for the queue to take a
 *                  message (default 64 MiB); below it the API answers 503 at once and runs fail naming the folder
 */
@ConfigurationProperties("soi.local")
public record LocalProperties(Duration schedule, Integer queuePort, Long queueMinFreeBytes) {
    /** Several messages of SQS's largest size and H2's growth of its file, with room to spare. */
    public static final long DEFAULT_QUEUE_MIN_FREE_BYTES = 64L << 20;

    public LocalProperties {
        schedule = schedule == null ? Duration.ofSeconds(60) : schedule;
        queuePort = queuePort == null ? 0 : queuePort;
        queueMinFreeBytes = queueMinFreeBytes == null ? DEFAULT_QUEUE_MIN_FREE_BYTES : queueMinFreeBytes;
        checkArgument(queueMinFreeBytes >= 0, "soi.local.queue-min-free-bytes must not be negative: %d", queueMinFreeBytes);
        checkArgument(schedule.compareTo(Duration.ofSeconds(1)) >= 0, "soi.local.schedule (SOI_SCHEDULE) must be at least 1s: %s", schedule);
        checkArgument(queuePort >= 0 && queuePort <= 65535, "soi.local.queue-port must be 0-65535: %d", queuePort);
    }
}
