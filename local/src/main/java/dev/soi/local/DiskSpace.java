package dev.soi.local;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * How many bytes a process may still write on the device that holds a folder. The seam a test drives to stand for a full
 * disk, which it cannot make for real without root.
 */
@FunctionalInterface
public interface DiskSpace {
    /** The operating system's answer: the usable space of the folder's file store. */
    DiskSpace SYSTEM = folder -> Files.getFileStore(folder).getUsableSpace();

    long usableBytes(Path folder) throws IOException;
}
