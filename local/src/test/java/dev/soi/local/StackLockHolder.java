package dev.soi.local;

import java.nio.file.Path;

/**
 * A second process for {@code SoiCommandLineTest}: takes a home's stack lock as {@code ./soi local} does,
 * drops its reference as the command does when it returns and the stack runs on, collects garbage, then
 * waits to be killed.
 */
public final class StackLockHolder {
    private StackLockHolder() {}

    public static void main(String[] args) throws InterruptedException {
        StackLock.acquire(new LocalHome(Path.of(args[0]))).recordPort(Integer.parseInt(args[1]));
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(100);  // lets the cleaner thread run after each collection
        }
        System.out.println("locked");
        System.out.flush();
        new java.util.concurrent.CountDownLatch(1).await();
    }
}
