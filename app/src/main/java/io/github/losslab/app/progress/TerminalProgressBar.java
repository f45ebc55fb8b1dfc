package io.github.losslab.app.progress;

import io.github.losslab.app.experiment.ProgressDisplay;
import io.github.losslab.app.experiment.ProgressSnapshot;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * A progress bar on an interactive terminal, one line redrawn in place (carriage return, then erase to the end of
 * the line):
 *
 * <pre>
 * [1/3] fit-function [=========>          ]  47%  epoch 28/60  loss 0.004210  0:31 elapsed  ~0:35 left  cube: 2 hidden layers, Adam
 * </pre>
 *
 * Log lines and results written through {@link #interleaved(PrintStream)} first erase the bar and redraw it below
 * themselves, so that the two never share a line. The bar appears with the first epoch an experiment reports.
 */
public final class TerminalProgressBar implements ProgressDisplay {

    /** Erases from the cursor to the end of the line (ANSI). */
    static final String ERASE = "\u001b[K";
    private static final int BAR = 20;
    private static final int WIDTH_DEFAULT = 120;

    private final PrintStream terminal;
    private final int width;
    private final long intervalNanos;
    private long lastDraw;
    /** The line on screen now; null when none is. */
    private String shown;
    /** A line erased for a log line that has not ended yet, drawn again when it ends. */
    private String pending;
    private String position = "";

    /**
     * @param terminal      the terminal's stream (standard error)
     * @param width         characters per line; longer lines are cut
     * @param intervalNanos the least time between two redraws
     */
    public TerminalProgressBar(PrintStream terminal, int width, long intervalNanos) {
        this.terminal = Objects.requireNonNull(terminal, "terminal");
        this.width = Math.max(40, width);
        this.intervalNanos = intervalNanos;
    }

    /** A bar on {@code terminal}, as wide as {@code $COLUMNS} says (120 otherwise), redrawn ten times a second. */
    public static TerminalProgressBar on(PrintStream terminal) {
        int width = WIDTH_DEFAULT;
        String columns = System.getenv("COLUMNS");
        if (columns != null && columns.matches("\\d{2,4}")) {
            width = Integer.parseInt(columns);
        }
        return new TerminalProgressBar(terminal, width, 100_000_000L);
    }

    @Override
    public synchronized void started(String experiment, int index, int count) {
        position = count > 1 ? "[" + index + "/" + count + "] " : "";
        lastDraw = 0;
    }

    @Override
    public synchronized void update(ProgressSnapshot s) {
        long now = System.nanoTime();
        boolean last = s.epochs() > 0 && s.epoch() >= s.epochs();
        if (lastDraw != 0 && now - lastDraw < intervalNanos && !last) {
            return;
        }
        lastDraw = now;
        draw(line(s));
    }

    @Override
    public synchronized void finished(String experiment, String outcome, double seconds) {
        clear();
    }

    /** The bar's line for a snapshot, before it is cut to the terminal's width. */
    String line(ProgressSnapshot s) {
        String line = position + s.experiment() + " " + bar(s.fraction()) + " " + ProgressFormat.percent(s.fraction())
                + "  " + ProgressFormat.details(s);
        return s.model().isEmpty() ? line : line + "  " + s.model();
    }

    static String bar(double fraction) {
        int filled = (int) Math.floor(BAR * Math.max(0, Math.min(1, fraction)));
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < BAR; i++) {
            sb.append(i < filled ? '=' : i == filled ? '>' : ' ');
        }
        return sb.append(']').toString();
    }

    /**
     * A stream for lines to {@code target} (standard error for log lines, standard output for results) on the
     * terminal the bar is on: each write erases the bar first, and the bar is drawn again after the line ends.
     */
    public PrintStream interleaved(PrintStream target) {
        return new PrintStream(new OutputStream() {
            @Override
            public void write(int b) {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                synchronized (TerminalProgressBar.this) {
                    String hidden = shown != null ? shown : pending;
                    clear();
                    target.write(b, off, len);
                    target.flush();
                    if (hidden != null && len > 0 && b[off + len - 1] == '\n') {
                        draw(hidden);
                    } else {
                        pending = hidden;
                    }
                }
            }

            @Override
            public void flush() {
                target.flush();
            }
        }, true, StandardCharsets.UTF_8);
    }

    private void draw(String line) {
        String cut = line.length() >= width ? line.substring(0, width - 1) : line;
        terminal.print("\r" + cut + ERASE);
        terminal.flush();
        shown = cut;
        pending = null;
    }

    private void clear() {
        if (shown != null) {
            terminal.print("\r" + ERASE);
            terminal.flush();
            shown = null;
        }
    }
}
