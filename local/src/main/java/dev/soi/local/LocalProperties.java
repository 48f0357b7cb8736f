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
 */
@ConfigurationProperties("soi.local")
public record LocalProperties(Duration schedule, Integer queuePort) {
    public LocalProperties {
        schedule = schedule == null ? Duration.ofSeconds(60) : schedule;
        queuePort = queuePort == null ? 0 : queuePort;
        checkArgument(schedule.compareTo(Duration.ofSeconds(1)) >= 0, "soi.local.schedule (SOI_SCHEDULE) must be at least 1s: %s", schedule);
        checkArgument(queuePort >= 0 && queuePort <= 65535, "soi.local.queue-port must be 0-65535: %d", queuePort);
    }
}
