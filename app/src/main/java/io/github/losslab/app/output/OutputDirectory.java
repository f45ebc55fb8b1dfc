package io.github.losslab.app.output;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * Checks, before any work starts, that a directory results will be written into can be created and written: it
 * creates the directory, writes and deletes a probe file in it, and removes again the directories it created, so
 * that the check itself leaves nothing behind. A directory under a regular file, on a read-only or virtual file
 * system ({@code /proc}), or without write permission is then refused at once instead of after an hour of work.
 */
public final class OutputDirectory {

    private OutputDirectory() {
    }

    /**
     * Why {@code dir} cannot take files, or empty when it can.
     *
     * @return for example {@code cannot create the directory '/proc/x' (No such file or directory)}
     */
    public static Optional<String> problem(Path dir) {
        Path target = dir.toAbsolutePath().normalize();
        if (Files.exists(target) && !Files.isDirectory(target)) {
            return Optional.of("'" + dir + "' is a file, not a directory");
        }
        Path firstCreated = null;
        for (Path p = target; p != null && !Files.exists(p); p = p.getParent()) {
            firstCreated = p;
        }
        try {
            try {
                Files.createDirectories(target);
            } catch (IOException e) {
                return Optional.of("cannot create the directory '" + dir + "' (" + reason(e) + ")");
            }
            Path probe = target.resolve(AtomicFiles.temporaryName("probe"));
            try {
                Files.write(probe, new byte[0], StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                Files.delete(probe);
            } catch (IOException e) {
                deleteQuietly(probe);
                return Optional.of("cannot write into the directory '" + dir + "' (" + reason(e) + ")");
            }
            return Optional.empty();
        } finally {
            if (firstCreated != null) {
                for (Path p = target; p != null && p.startsWith(firstCreated); p = p.getParent()) {
                    deleteQuietly(p);
                }
            }
        }
    }

    /** What went wrong with a file operation, in words: the system's reason where it gives one. */
    public static String reason(IOException e) {
        if (e instanceof FileSystemException f && f.getReason() != null) {
            return f.getReason();
        }
        if (e instanceof AccessDeniedException) {
            return "Permission denied";
        }
        if (e instanceof NoSuchFileException) {
            return "No such file or directory";
        }
        if (e instanceof FileAlreadyExistsException) {
            return "a file is in the way";
        }
        return e.getMessage() == null ? e.toString() : e.getMessage();
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            // the check's own leftover: an empty directory or an empty hidden file, harmless
        }
    }
}
