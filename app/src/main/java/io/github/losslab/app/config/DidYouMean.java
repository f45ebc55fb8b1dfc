package io.github.losslab.app.config;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/** Suggestions for a mistyped name: the valid names within a small edit distance, or containing it. */
public final class DidYouMean {

    private DidYouMean() {
    }

    /** The valid names close to {@code given}, closest first (at most three). */
    public static List<String> suggestions(String given, Collection<String> valid) {
        String g = given == null ? "" : given.toLowerCase(Locale.ROOT);
        record Scored(String name, int distance) {
        }
        List<Scored> scored = new ArrayList<>();
        for (String v : valid) {
            String c = v.toLowerCase(Locale.ROOT);
            int d = distance(g, c);
            int limit = Math.max(2, Math.min(g.length(), c.length()) / 3);
            boolean contains = g.length() >= 3 && (c.contains(g) || g.contains(c));
            if (d <= limit || contains) {
                scored.add(new Scored(v, d));
            }
        }
        scored.sort(Comparator.comparingInt(Scored::distance).thenComparing(Scored::name));
        return scored.stream().limit(3).map(Scored::name).toList();
    }

    /** {@code " (did you mean 'a' or 'b'?)"}, or the empty string when nothing is close. */
    public static String phrase(String given, Collection<String> valid) {
        List<String> s = suggestions(given, valid);
        if (s.isEmpty()) {
            return "";
        }
        return " (did you mean '" + String.join("' or '", s) + "'?)";
    }

    /** Levenshtein distance. */
    static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
