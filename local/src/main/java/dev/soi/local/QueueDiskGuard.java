package dev.soi.local;

import static dev.soi.core.domain.Checks.requireNonNull;

import dev.soi.core.port.QueueException;
import dev.soi.core.port.QueueMessage;
import dev.soi.core.port.ReceivedMessage;
import dev.soi.core.port.SubmissionQueue;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.List;

/**
 * The local queue, refusing at once what it could not persist. ElasticMQ keeps its messages in H2 files; on a full device
 * a write fails inside it, and the caller learns only from its 21-second request timeout, twice over with the SDK's retry:
 * a client with a 30-second timeout saw timeouts, not the API's 503. So every call that writes to the queue's files (send,
 * receive, which counts the receive, delete, change of visibility, dead-letter) first asks the operating system how much
 * space the folder's device has, a system call, and fails fast with {@link QueueException} naming the device's folder when
 * it is below {@code minFreeBytes}. The API then answers 503 with Retry-After, nothing accepted; a run fails naming the
 * cause and the folder; {@code status} names it. Reads (the depths) pass. A write that fails anyway (space taken between
 * the check and the write) still takes ElasticMQ's timeout. Thread-safe.
 */
final class QueueDiskGuard implements SubmissionQueue {
    private final SubmissionQueue delegate;
    private final Path folder;
    private final DiskSpace space;
    private final long minFreeBytes;

    QueueDiskGuard(SubmissionQueue delegate, Path folder, DiskSpace space, long minFreeBytes) {
        this.delegate = requireNonNull(delegate, "queue");
        this.folder = requireNonNull(folder, "folder");
        this.space = requireNonNull(space, "disk space");
        this.minFreeBytes = minFreeBytes;
    }

    private void checkSpace() {
        long free;
        try {
            free = space.usableBytes(folder);
        } catch (IOException e) {
            return; // no answer from the system: the write itself will tell
        }
        if (free < minFreeBytes) {
            throw new QueueException("the local queue cannot persist messages in " + folder + ": no space left on the device "
                    + "holding it (" + free + " bytes free, the queue keeps " + minFreeBytes + " free, soi.local.queue-min-free-bytes)."
                    + " Free space on that device; nothing was lost, and what was accepted is applied once there is room");
        }
    }

    @Override
    public void enqueue(List<QueueMessage> messages) {
        checkSpace();
        delegate.enqueue(messages);
    }

    @Override
    public List<ReceivedMessage> receive(int max, Duration visibilityTimeout, Duration wait) {
        checkSpace();
        return delegate.receive(max, visibilityTimeout, wait);
    }

    @Override
    public void delete(Collection<ReceivedMessage> messages) {
        checkSpace();
        delegate.delete(messages);
    }

    @Override
    public void changeVisibility(Collection<ReceivedMessage> messages, Duration timeout) {
        checkSpace();
        delegate.changeVisibility(messages, timeout);
    }

    @Override
    public void deadLetter(ReceivedMessage message, String reason) {
        checkSpace();
        delegate.deadLetter(message, reason);
    }

    @Override
    public SubmissionQueue deadLetterQueue() {
        return new QueueDiskGuard(delegate.deadLetterQueue(), folder, space, minFreeBytes);
    }

    @Override
    public long approximateDepth() {
        return delegate.approximateDepth();
    }

    @Override
    public long approximateInFlight() {
        return delegate.approximateInFlight();
    }

    @Override
    public int maxMessageBytes() {
        return delegate.maxMessageBytes();
    }
}
