package io.github.losslab.app.output;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Writes a file so that readers (and a run that is killed) see either the old file or the complete new one,
 * never a half-written one: the content goes to a hidden temporary file in the same directory
 * ({@code .losslab-<name>.<random>.tmp}), is flushed to disk, and is then moved over the target in one atomic
 * rename.
 */
public final class AtomicFiles {

    /** Writes the content of a file to a stream; the stream must not be closed by the writer. */
    @FunctionalInterface
    public interface Content {
        void writeTo(OutputStream out) throws IOException;
    }

    /** How the names of losslab's temporary files start: no other program's file is taken for one. */
    public static final String PREFIX = ".losslab-";

    /** losslab's own temporary files: {@code .losslab-<name>.<hex>.tmp}. */
    private static final Pattern OWN = Pattern.compile(Pattern.quote(PREFIX) + ".+\\.[0-9a-f]{1,16}\\.tmp");
    /** Directory levels below an experiment's directory searched for leftovers. */
    private static final int DEPTH = 8;

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
        Path temp = dir.resolve(temporaryName(target.getFileName().toString()));
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

    /** A fresh temporary name for {@code fileName}: {@code .losslab-<fileName>.<random hex>.tmp}. */
    public static String temporaryName(String fileName) {
        return PREFIX + fileName + "." + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ".tmp";
    }

    /**
     * Whether {@code file} is the temporary file of an atomic write, which only a killed process leaves behind:
     * {@code .losslab-<name>.<hex>.tmp}, the form of this class, of the plotting module's figures and of
     * {@code ModelIo}'s saved models.
     */
    public static boolean isLeftover(Path file) {
        String name = file.getFileName().toString();
        return OWN.matcher(name).matches();
    }

    /**
     * Deletes the temporary files ({@link #isLeftover}) that a killed run left, looking only where losslab writes:
     * directly in {@code out} (the report's), and in the directories of the named experiments under {@code out}
     * and below them. Nothing else is looked at, so an output directory shared with other programs (a home
     * directory) keeps their temporary files.
     *
     * @param experiments the names of the experiments, whose directories under {@code out} losslab writes
     * @return the files deleted
     */
    public static List<Path> removeLeftovers(Path out, Collection<String> experiments) throws IOException {
        if (!Files.isDirectory(out)) {
            return List.of();
        }
        List<Path> leftovers = new ArrayList<>();
        try (Stream<Path> files = Files.list(out)) {
            files.filter(AtomicFiles::isLeftover)
                    .filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)).forEach(leftovers::add);
        }
        for (String experiment : experiments) {
            Path dir = out.resolve(experiment);
            if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
                continue;
            }
            try (Stream<Path> files = Files.walk(dir, DEPTH)) {
                files.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)).filter(AtomicFiles::isLeftover)
                        .forEach(leftovers::add);
            }
        }
        for (Path p : leftovers) {
            Files.deleteIfExists(p);
        }
        return leftovers;
    }
}
