package dev.soi.batch.ingest;

import dev.soi.core.domain.Submission;
import dev.soi.core.port.ReceivedMessage;

/**
 * One received message decoded into its submission. The message is kept without its body (the submission holds the
 * content), so a large backlog is not held twice; {@code payloadKey} is its claim check, if any.
 */
public record Delivery(ReceivedMessage message, Submission submission, String payloadKey) {}
