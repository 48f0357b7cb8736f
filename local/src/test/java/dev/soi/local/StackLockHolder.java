package dev.soi.local;

import java.nio.file.Path;

/** A second process for {@code SoiCommandLineTest}: takes a home's stack lock as a running stack would, then waits to be killed. */
public final class StackLockHolder {
    private StackLockHolder() {}

    public static void main(String[] args) throws InterruptedException {
        StackLock lock = StackLock.acquire(new LocalHome(Path.of(args[0])));
        lock.recordPort(Integer.parseInt(args[1]));
        System.out.println("locked");
        System.out.flush();
        new java.util.concurrent.CountDownLatch(1).await();
    }
}
