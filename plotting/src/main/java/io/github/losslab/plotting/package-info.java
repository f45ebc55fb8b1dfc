/**
 * Figures for losslab, written headless to PNG and SVG with JFreeChart.
 *
 * <p>The package holds its own immutable descriptions of a figure, made of Java arrays so that nothing
 * here depends on the rest of losslab and the analysis never depends on plotting: a {@link
 * io.github.losslab.plotting.Series} of points, and the charts built from them, {@link
 * io.github.losslab.plotting.LineChart} (optionally with log axes and a second y axis), {@link
 * io.github.losslab.plotting.ScatterChart} (points with optional text labels), {@link
 * io.github.losslab.plotting.PanelChart} (line charts stacked over one shared x axis), {@link
 * io.github.losslab.plotting.ContourChart} (a function of two variables as a viridis colour map with labelled
 * iso-lines, a colour bar and paths drawn on top) and {@link io.github.losslab.plotting.FunctionOverlay} (a
 * ground-truth function against model predictions).
 * {@link io.github.losslab.plotting.Figures} renders any of them with one theme meant for papers: white
 * background, light grid, the Okabe-Ito colour-blind-safe palette, decade ticks such as 10⁻² on log axes,
 * and the legend below the data. Every figure is written as a PNG with an SVG beside it, each moved
 * atomically into place.
 */
package io.github.losslab.plotting;
