package dev.soi.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;

/**
 * One stack per {@code SOI_HOME}. The running stack holds an OS lock on {@code stack.lock}, with its pid
 * and port written inside for whoever is refused. The OS drops the lock when the process ends in any way
 * ({@code kill -9} included), so a dead stack never leaves it stuck: a stale file with nobody's lock on it
 * is simply taken over.
 */
final class StackLock implements AutoCloseable {
    /**
     * Every lock this process holds. The stack keeps running long after the command that took its lock
     * returned; an unreachable channel would be closed by its cleaner on the next GC, and with it the lock.
     */
    private static final java.util.Set<StackLock> HELD = java.util.concurrent.ConcurrentHashMap.newKeySet();

    private final FileChannel channel;
    private final FileLock lock;

    private StackLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /** @throws CliException exit {@link Soi#HOME}, naming the holder's pid and port, when another stack holds the lock */
    static StackLock acquire(LocalHome home) {
        FileChannel channel = null;
        try {
            channel = FileChannel.open(home.lockFile(), StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null;  // this very process holds it already
            }
            if (lock == null) {
                channel.close();
                String holder = Files.readString(home.lockFile(), StandardCharsets.UTF_8).strip();
                throw new CliException(Soi.HOME, "a stack is already running on this SOI_HOME (" + (holder.isEmpty() ? "pid unknown" : holder)
                        + "): " + home.root() + "; stop it, or set SOI_HOME to another folder");
            }
            StackLock stackLock = new StackLock(channel, lock);
            HELD.add(stackLock);
            stackLock.record("starting");
            return stackLock;
        } catch (IOException e) {
            closeQuietly(channel);
            throw new UncheckedIOException("cannot lock " + home.lockFile(), e);
        }
    }

    /** Writes what a refused second stack reports: this process's pid and {@code port}. */
    void recordPort(int port) {
        record("port " + port);
    }

    private void record(String port) {
        byte[] text = ("pid " + ProcessHandle.current().pid() + ", " + port + "\n").getBytes(StandardCharsets.UTF_8);
        try {
            channel.truncate(0);
            channel.write(ByteBuffer.wrap(text), 0);
            channel.force(false);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the stack lock file", e);
        }
    }

    @Override
    public void close() {
        HELD.remove(this);
        try {
            lock.release();
        } catch (IOException e) {
            // closing the channel below releases it as well
        }
        closeQuietly(channel);
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException e) {
                // nothing held that the OS will not free
            }
        }
    }
}
