package io.github.losslab.plotting;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import javax.imageio.ImageIO;
import org.jfree.chart.JFreeChart;
import org.jfree.svg.SVGGraphics2D;
import org.jfree.svg.ViewBox;

/**
 * Writes charts as a PNG with an SVG beside it, and renders them to images.
 *
 * <p>Each file is first written in full to a hidden temporary file in the target directory and then
 * moved over the target in one step ({@link StandardCopyOption#ATOMIC_MOVE}, or a plain replacing move
 * where the file system cannot move atomically), so a run killed while saving leaves the previous figure
 * or the new one, never a truncated file.
 *
 * <p>Rendering needs no display: unless the JVM was started with {@code java.awt.headless} set, this class
 * sets it to {@code true} before any AWT class is used.
 */
public final class Figures {

    /** The default width in pixels. */
    public static final int DEFAULT_WIDTH = 1200;
    /** The default height in pixels. */
    public static final int DEFAULT_HEIGHT = 800;
    /** The largest width or height accepted, in pixels. */
    public static final int MAX_SIZE = 16_384;

    static {
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
    }

    private Figures() {
    }

    /**
     * Writes {@code baseName.png} and {@code baseName.svg} of {@link #DEFAULT_WIDTH} by {@link
     * #DEFAULT_HEIGHT} pixels into {@code directory}, creating the directory if needed and replacing
     * earlier files of those names.
     *
     * @return the PNG and the SVG path, in that order
     * @throws IllegalArgumentException if the base name is blank or names a path rather than a file
     * @throws IOException if a file cannot be written
     */
    public static List<Path> save(Chart chart, Path directory, String baseName) throws IOException {
        return save(chart, directory, baseName, DEFAULT_WIDTH, DEFAULT_HEIGHT);
    }

    /**
     * Writes {@code baseName.png} and {@code baseName.svg} of the given size into {@code directory}, creating
     * the directory if needed and replacing earlier files of those names.
     *
     * @return the PNG and the SVG path, in that order
     * @throws IllegalArgumentException if the size is out of range, or the base name is blank or names a
     *     path rather than a file
     * @throws IOException if a file cannot be written
     */
    public static List<Path> save(Chart chart, Path directory, String baseName, int width, int height)
            throws IOException {
        Objects.requireNonNull(chart, "chart");
        Objects.requireNonNull(directory, "directory");
        requireBaseName(baseName);
        requireSize(width, height);
        Files.createDirectories(directory);
        Path png = directory.resolve(baseName + ".png");
        Path svg = directory.resolve(baseName + ".svg");
        JFreeChart jfc = ChartRenderer.toJFreeChart(chart);
        BufferedImage image = draw(jfc, width, height);
        writeAtomically(png, out -> {
            if (!ImageIO.write(image, "png", out)) {
                throw new IOException("no PNG writer is available in this JVM");
            }
        });
        String svgText = svgDocument(jfc, width, height, baseName);
        writeAtomically(svg, out -> out.write(svgText.getBytes(StandardCharsets.UTF_8)));
        return List.of(png, svg);
    }

    /**
     * Renders {@code chart} to an opaque image of the given size, as it would be written to PNG.
     *
     * @throws IllegalArgumentException if the size is out of range
     */
    public static BufferedImage render(Chart chart, int width, int height) {
        Objects.requireNonNull(chart, "chart");
        requireSize(width, height);
        return draw(ChartRenderer.toJFreeChart(chart), width, height);
    }

    /**
     * The chart as a standalone SVG document of the given size, with a view box so that it scales.
     *
     * @throws IllegalArgumentException if the size is out of range
     */
    public static String toSvg(Chart chart, int width, int height) {
        Objects.requireNonNull(chart, "chart");
        requireSize(width, height);
        return svgDocument(ChartRenderer.toJFreeChart(chart), width, height, chart.title());
    }

    private static BufferedImage draw(JFreeChart chart, int width, int height) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g2 = image.createGraphics();
        try {
            g2.setColor(Color.WHITE);
            g2.fillRect(0, 0, width, height);
            chart.draw(g2, new Rectangle2D.Double(0, 0, width, height));
        } finally {
            g2.dispose();
        }
        return image;
    }

    /**
     * The SVG document, with element ids derived from {@code idSource} rather than from the clock, so that
     * the same chart gives the same bytes and figures of different names can share one HTML page.
     */
    private static String svgDocument(JFreeChart chart, int width, int height, String idSource) {
        SVGGraphics2D g2 = new SVGGraphics2D(width, height);
        g2.setDefsKeyPrefix("_" + idSource.replaceAll("[^A-Za-z0-9_-]", "_") + "_");
        chart.draw(g2, new Rectangle2D.Double(0, 0, width, height));
        String element = g2.getSVGElement(null, true, new ViewBox(0, 0, width, height), null, null);
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" + element + "\n";
    }

    /**
     * Writes to a new hidden file beside {@code target}, then moves it over {@code target}; if writing fails,
     * the temporary file is removed and {@code target} is left as it was. The temporary file is named
     * {@code .losslab-<name>.<random hex>.tmp}, as every temporary file losslab writes, so that the leftovers of
     * a killed process can be told from other programs' files.
     */
    static void writeAtomically(Path target, Writer writer) throws IOException {
        Path temp = target.resolveSibling(".losslab-" + target.getFileName() + "."
                + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ".tmp");
        try {
            try (OutputStream out = Files.newOutputStream(temp, StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE)) {
                writer.write(out);
            }
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException | FileAlreadyExistsException e) {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    private static void requireBaseName(String baseName) {
        Objects.requireNonNull(baseName, "baseName");
        if (baseName.isBlank() || baseName.contains("/") || baseName.contains("\\") || baseName.equals(".")
                || baseName.equals("..")) {
            throw new IllegalArgumentException("base name must be a plain file name without extension,"
                    + " such as \"loss\", was \"" + baseName + "\"");
        }
    }

    private static void requireSize(int width, int height) {
        if (width < 1 || height < 1 || width > MAX_SIZE || height > MAX_SIZE) {
            throw new IllegalArgumentException("figure size must be between 1 and " + MAX_SIZE
                    + " pixels on each side, was " + width + "x" + height);
        }
    }

    /** Writes one file's bytes. */
    @FunctionalInterface
    interface Writer {
        void write(OutputStream out) throws IOException;
    }
}
