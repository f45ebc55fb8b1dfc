package io.github.losslab.app.trial;

import java.util.ArrayList;
import java.util.List;

/**
 * The key of a trial that repeats one point of an experiment (a batch size, a width, a model) over seeds:
 * {@code <point>.seed-<k>}, for example {@code batch-64.seed-2}; seed {@code k} draws its randomness from
 * {@code context.random(k)}.
 *
 * @param point the point, for example {@code batch-64}
 * @param seed  the seed's index, from 0
 */
public record SeedKey(String point, int seed) {

    /** What separates the point from the seed. */
    public static final String SEPARATOR = ".seed-";

    public SeedKey {
        if (point == null || point.isEmpty() || seed < 0) {
            throw new IllegalArgumentException("a seed key needs a point and a seed of at least 0, had '" + point
                    + "' and " + seed);
        }
    }

    /** {@code <point>.seed-<seed>}. */
    public static String of(String point, int seed) {
        return new SeedKey(point, seed).toString();
    }

    /** The keys of every point at every seed, points in order and seeds within each point. */
    public static List<String> keys(List<String> points, int seeds) {
        List<String> keys = new ArrayList<>();
        for (String p : points) {
            for (int s = 0; s < seeds; s++) {
                keys.add(of(p, s));
            }
        }
        return keys;
    }

    /**
     * Reads {@code <point>.seed-<k>}.
     *
     * @throws IllegalArgumentException naming the key when it is not of that form
     */
    public static SeedKey parse(String key) {
        int at = key.lastIndexOf(SEPARATOR);
        if (at <= 0) {
            throw new IllegalArgumentException("trial key '" + key + "' is not of the form <point>.seed-<k>");
        }
        try {
            return new SeedKey(key.substring(0, at), Integer.parseInt(key.substring(at + SEPARATOR.length())));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("trial key '" + key + "' has no seed number after '" + SEPARATOR
                    + "'", e);
        }
    }

    @Override
    public String toString() {
        return point + SEPARATOR + seed;
    }
}
