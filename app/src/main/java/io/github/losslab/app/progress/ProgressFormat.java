package io.github.losslab.app.progress;

import io.github.losslab.app.experiment.ProgressSnapshot;

import java.util.Locale;

/** How progress reads, the same on a terminal and in log lines. */
final class ProgressFormat {

    private ProgressFormat() {
    }

    /** {@code 0:07}, {@code 12:05}, {@code 1:02:03}; {@code ?} for NaN. */
    static String duration(double seconds) {
        if (!Double.isFinite(seconds) || seconds < 0) {
            return "?";
        }
        long s = Math.round(seconds);
        long h = s / 3600;
        long m = (s % 3600) / 60;
        long sec = s % 60;
        return h > 0 ? String.format(Locale.ROOT, "%d:%02d:%02d", h, m, sec)
                : String.format(Locale.ROOT, "%d:%02d", m, sec);
    }

    /** Four significant digits; {@code -} for NaN. */
    static String loss(double loss) {
        return Double.isNaN(loss) ? "-" : String.format(Locale.ROOT, "%.4g", loss);
    }

    static String percent(double fraction) {
        return String.format(Locale.ROOT, "%3d%%", (int) Math.floor(100 * Math.max(0, Math.min(1, fraction))));
    }

    /** {@code trials 3/8  epoch 26/60  loss 0.004210  0:34 elapsed  ~0:45 left}, the parts that are known. */
    static String details(ProgressSnapshot s) {
        StringBuilder sb = new StringBuilder();
        if (s.trialsTotal() > 1) {
            sb.append("trials ").append(s.trialsDone()).append('/').append(s.trialsTotal()).append("  ");
        }
        if (s.epochs() > 0) {
            sb.append("epoch ").append(s.epoch()).append('/').append(s.epochs()).append("  ");
        }
        if (!Double.isNaN(s.loss())) {
            sb.append("loss ").append(loss(s.loss())).append("  ");
        }
        sb.append(duration(s.elapsedSeconds())).append(" elapsed");
        if (Double.isFinite(s.remainingSeconds())) {
            sb.append("  ~").append(duration(s.remainingSeconds())).append(" left");
        }
        return sb.toString();
    }
}
