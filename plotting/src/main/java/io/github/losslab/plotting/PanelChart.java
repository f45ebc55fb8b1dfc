package io.github.losslab.plotting;

import java.util.List;
import java.util.Objects;

/**
 * Line charts stacked vertically over one shared x axis, for quantities of different units measured along
 * the same steps: loss above, gradient norm below.
 *
 * <p>Each panel keeps its y axes, log settings and series; its own title and x-axis label are not drawn,
 * since the panels share {@link #xLabel()}. A series name keeps one colour in every panel and appears once
 * in the legend, so "train" and "test" read the same in a loss panel and an accuracy panel.
 */
public final class PanelChart implements Chart {

    private final String title;
    private final String xLabel;
    private final List<LineChart> panels;

    private PanelChart(String title, String xLabel, List<LineChart> panels) {
        this.title = title;
        this.xLabel = xLabel;
        this.panels = panels;
    }

    /**
     * Stacks the panels from top to bottom.
     *
     * @param xLabel the label of the shared x axis, with its unit
     * @throws IllegalArgumentException if there is no panel, or the panels disagree on a log x axis
     */
    public static PanelChart of(String title, String xLabel, List<LineChart> panels) {
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(xLabel, "xLabel");
        List<LineChart> copy = List.copyOf(Objects.requireNonNull(panels, "panels"));
        if (copy.isEmpty()) {
            throw new IllegalArgumentException("panel chart '" + title
                    + "' has no panels; pass at least one LineChart");
        }
        boolean logX = copy.get(0).logX();
        for (int i = 1; i < copy.size(); i++) {
            if (copy.get(i).logX() != logX) {
                throw new IllegalArgumentException("panel chart '" + title + "' shares one x axis, so its panels"
                        + " must agree on logX; panel 0 ('" + copy.get(0).title() + "') has logX=" + logX
                        + " but panel " + i + " ('" + copy.get(i).title() + "') has logX=" + !logX);
            }
        }
        return new PanelChart(title, xLabel, copy);
    }

    @Override
    public String title() {
        return title;
    }

    /** The label of the shared x axis, with its unit. */
    public String xLabel() {
        return xLabel;
    }

    /** Whether the shared x axis is logarithmic (all panels agree). */
    public boolean logX() {
        return panels.get(0).logX();
    }

    /** The panels from top to bottom; never empty. */
    public List<LineChart> panels() {
        return panels;
    }

    @Override
    public String toString() {
        return "PanelChart[title=" + title + ", panels=" + panels.size() + "]";
    }
}
