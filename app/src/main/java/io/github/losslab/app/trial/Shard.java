package io.github.losslab.app.trial;

import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;

/**
 * The K-th of N fixed slices of a run's trials ({@code --shard K/N}, K from 1), so that the tasks of a job array
 * (SLURM's {@code --array}, PBS's {@code -J}) each run their share of one run into a shared output directory. Trial
 * {@code i} of an experiment belongs to slice {@code (i + offset) mod N}, the offset fixed by the experiment's name,
 * so that every slice gets about as many trials of each experiment and experiments of one trial are spread too.
 *
 * @param index the slice, from 1
 * @param count the number of slices
 */
public record Shard(int index, int count) {

    /** Every trial: no sharding. */
    public static final Shard ALL = new Shard(1, 1);

    public Shard {
        if (count < 1 || index < 1 || index > count) {
            throw new IllegalArgumentException("a shard is K/N with 1 <= K <= N, was " + index + "/" + count);
        }
    }

    /**
     * Parses {@code K/N}.
     *
     * @throws IllegalArgumentException saying what is expected
     */
    public static Shard parse(String text) {
        String t = text == null ? "" : text.trim();
        String[] parts = t.split("/", -1);
        if (parts.length == 2 && parts[0].matches("\\d{1,6}") && parts[1].matches("\\d{1,6}")) {
            int k = Integer.parseInt(parts[0]);
            int n = Integer.parseInt(parts[1]);
            if (n >= 1 && k >= 1 && k <= n) {
                return new Shard(k, n);
            }
        }
        throw new IllegalArgumentException("'" + text + "' is not a shard: expected K/N with 1 <= K <= N, for "
                + "example 3/8 for the third of 8 slices (SLURM: $((SLURM_ARRAY_TASK_ID + 1))/$SLURM_ARRAY_TASK_COUNT)");
    }

    /** Whether trial {@code index} (from 0) of {@code experiment} belongs to this slice. */
    public boolean includes(String experiment, int index) {
        if (count == 1) {
            return true;
        }
        CRC32 crc = new CRC32();
        crc.update(experiment.getBytes(StandardCharsets.UTF_8));
        long offset = crc.getValue() % count;
        return (index + offset) % count == this.index - 1;
    }

    /** Whether this is the whole run. */
    public boolean all() {
        return count == 1;
    }

    @Override
    public String toString() {
        return index + "/" + count;
    }
}
