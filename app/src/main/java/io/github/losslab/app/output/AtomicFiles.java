package io.github.losslab.app.output;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;

/**
 * Writes a file so that readers (and a run that is killed) see either the old file or the complete new one,
 * never a half-written one: the content goes to a hidden temporary file in the same directory, is flushed to
 * disk, and is then moved over the target in one atomic rename.
 */
public final class AtomicFiles {

    /** Writes the content of a file to a stream; the stream must not be closed by the writer. */
    @FunctionalInterface
    public interface Content {
        void writeTo(OutputStream out) throws IOException;
    }

    private AtomicFiles() {
    }

    /**
     * Writes {@code target} atomically, creating its directory when needed.
     *
     * @return the target
     * @throws IOException when writing fails; the target is then unchanged and no temporary file is left
     */
    public static Path write(Path target, Content content) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        // a name of our own rather than createTempFile, whose files only their owner may read
        Path temp = dir.resolve("." + target.getFileName() + "."
                + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ".tmp");
        try {
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE,
                    StandardOpenOption.CREATE_NEW)) {
                OutputStream out = Channels.newOutputStream(channel);
                content.writeTo(out);
                out.flush();
                channel.force(true);
            }
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
            }
            return target;
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /**
     * Whether {@code file} is a temporary file of an atomic write ({@code .<name>.<random>.tmp}, the form this
     * class and the plotting module use), which only a killed process leaves behind.
     */
    public static boolean isLeftover(Path file) {
        String name = file.getFileName().toString();
        return name.startsWith(".") && name.endsWith(".tmp") && name.length() > 5;
    }

    /**
     * Deletes the temporary files that a killed run left in {@code directory} and below.
     *
     * @return the files deleted
     */
    public static List<Path> removeLeftovers(Path directory) throws IOException {
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        List<Path> leftovers;
        try (Stream<Path> files = Files.walk(directory, 8)) {
            leftovers = files.filter(Files::isRegularFile).filter(AtomicFiles::isLeftover).toList();
        }
        for (Path p : leftovers) {
            Files.deleteIfExists(p);
        }
        return leftovers;
    }
}
