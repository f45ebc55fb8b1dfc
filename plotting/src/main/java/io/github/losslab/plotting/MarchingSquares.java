package io.github.losslab.plotting;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Iso-lines of a function sampled on a rectangular grid, by marching squares (Lorensen and Cline's marching cubes
 * in two dimensions): each grid cell is classified by which of its corners lie at or above the level, the level's
 * crossing of each cut edge is placed by linear interpolation, and the segments of neighbouring cells are joined
 * into polylines through their shared edge crossings. The ambiguous saddle cells take the value at the cell's
 * centre (the mean of its corners) to choose how to connect. Cells with a NaN corner are skipped, so lines end at
 * missing data.
 */
final class MarchingSquares {

    private MarchingSquares() {
    }

    /**
     * One iso-line: its vertices in order; closed lines repeat the first vertex at the end.
     *
     * @param x      the x coordinates of the vertices
     * @param y      the y coordinates of the vertices
     * @param closed whether the line is a loop
     */
    record Polyline(double[] x, double[] y, boolean closed) {

        int size() {
            return x.length;
        }
    }

    /**
     * The iso-lines at {@code level} of {@code z}, where {@code z[j][i]} is the value at {@code (xs[i], ys[j])}.
     * The grid coordinates must increase.
     */
    static List<Polyline> isolines(double[] xs, double[] ys, double[][] z, double level) {
        int nx = xs.length;
        int ny = ys.length;
        Map<Long, double[]> points = new HashMap<>();
        List<long[]> segments = new ArrayList<>();
        for (int j = 0; j + 1 < ny; j++) {
            for (int i = 0; i + 1 < nx; i++) {
                double z00 = z[j][i];
                double z10 = z[j][i + 1];
                double z11 = z[j + 1][i + 1];
                double z01 = z[j + 1][i];
                if (Double.isNaN(z00) || Double.isNaN(z10) || Double.isNaN(z11) || Double.isNaN(z01)) {
                    continue;
                }
                int code = (z00 >= level ? 1 : 0) | (z10 >= level ? 2 : 0) | (z11 >= level ? 4 : 0)
                        | (z01 >= level ? 8 : 0);
                if (code == 0 || code == 15) {
                    continue;
                }
                long bottom = horizontalEdge(i, j, nx);
                long top = horizontalEdge(i, j + 1, nx);
                long left = verticalEdge(i, j, nx);
                long right = verticalEdge(i + 1, j, nx);
                points.putIfAbsent(bottom, crossing(xs[i], ys[j], z00, xs[i + 1], ys[j], z10, level));
                points.putIfAbsent(top, crossing(xs[i], ys[j + 1], z01, xs[i + 1], ys[j + 1], z11, level));
                points.putIfAbsent(left, crossing(xs[i], ys[j], z00, xs[i], ys[j + 1], z01, level));
                points.putIfAbsent(right, crossing(xs[i + 1], ys[j], z10, xs[i + 1], ys[j + 1], z11, level));
                boolean centreAbove = (z00 + z10 + z11 + z01) / 4 >= level;
                switch (code) {
                    case 1, 14 -> segments.add(new long[] {left, bottom});
                    case 2, 13 -> segments.add(new long[] {bottom, right});
                    case 3, 12 -> segments.add(new long[] {left, right});
                    case 4, 11 -> segments.add(new long[] {right, top});
                    case 6, 9 -> segments.add(new long[] {bottom, top});
                    case 7, 8 -> segments.add(new long[] {left, top});
                    case 5 -> {
                        // corners 00 and 11 above: the centre decides whether they are joined
                        if (centreAbove) {
                            segments.add(new long[] {left, top});
                            segments.add(new long[] {bottom, right});
                        } else {
                            segments.add(new long[] {left, bottom});
                            segments.add(new long[] {right, top});
                        }
                    }
                    case 10 -> {
                        // corners 10 and 01 above
                        if (centreAbove) {
                            segments.add(new long[] {left, bottom});
                            segments.add(new long[] {right, top});
                        } else {
                            segments.add(new long[] {left, top});
                            segments.add(new long[] {bottom, right});
                        }
                    }
                    default -> throw new IllegalStateException("marching squares case " + code);
                }
            }
        }
        return join(segments, points);
    }

    /** Joins segments that share an edge crossing into polylines. */
    private static List<Polyline> join(List<long[]> segments, Map<Long, double[]> points) {
        Map<Long, List<Integer>> byEnd = new HashMap<>();
        for (int s = 0; s < segments.size(); s++) {
            for (long end : segments.get(s)) {
                byEnd.computeIfAbsent(end, k -> new ArrayList<>(2)).add(s);
            }
        }
        boolean[] used = new boolean[segments.size()];
        List<Polyline> lines = new ArrayList<>();
        for (int s = 0; s < segments.size(); s++) {
            if (used[s]) {
                continue;
            }
            used[s] = true;
            List<Long> forward = new ArrayList<>();
            forward.add(segments.get(s)[0]);
            forward.add(segments.get(s)[1]);
            extend(forward, byEnd, segments, used);
            boolean closed = forward.size() > 2 && forward.get(0).equals(forward.get(forward.size() - 1));
            if (!closed) {
                List<Long> backward = new ArrayList<>();
                backward.add(forward.get(0));
                extend(backward, byEnd, segments, used);
                List<Long> all = new ArrayList<>();
                for (int k = backward.size() - 1; k >= 1; k--) {
                    all.add(backward.get(k));
                }
                all.addAll(forward);
                forward = all;
            }
            double[] x = new double[forward.size()];
            double[] y = new double[forward.size()];
            for (int k = 0; k < forward.size(); k++) {
                double[] p = points.get(forward.get(k));
                x[k] = p[0];
                y[k] = p[1];
            }
            lines.add(new Polyline(x, y, closed));
        }
        return lines;
    }

    /** Appends to {@code chain} the unused segments that continue from its last crossing, until none does. */
    private static void extend(List<Long> chain, Map<Long, List<Integer>> byEnd, List<long[]> segments,
                               boolean[] used) {
        while (true) {
            long end = chain.get(chain.size() - 1);
            int next = -1;
            for (int s : byEnd.get(end)) {
                if (!used[s]) {
                    next = s;
                    break;
                }
            }
            if (next < 0) {
                return;
            }
            used[next] = true;
            long[] seg = segments.get(next);
            chain.add(seg[0] == end ? seg[1] : seg[0]);
        }
    }

    private static double[] crossing(double xa, double ya, double za, double xb, double yb, double zb, double level) {
        double t = za == zb ? 0.5 : (level - za) / (zb - za);
        t = Math.max(0, Math.min(1, t));
        return new double[] {xa + t * (xb - xa), ya + t * (yb - ya)};
    }

    /** The edge from grid point {@code (i, j)} to {@code (i + 1, j)}. */
    private static long horizontalEdge(int i, int j, int nx) {
        return 2L * ((long) j * nx + i);
    }

    /** The edge from grid point {@code (i, j)} to {@code (i, j + 1)}. */
    private static long verticalEdge(int i, int j, int nx) {
        return 2L * ((long) j * nx + i) + 1;
    }
}
