package io.github.losslab.plotting;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import javax.xml.parsers.DocumentBuilderFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.AxisState;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.axis.ValueTick;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.ui.RectangleEdge;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.w3c.dom.Document;

class FiguresTest {

    @TempDir
    Path dir;

    static Stream<Arguments> charts() {
        return Stream.of(
                Arguments.of("line", SampleFigures.lossChart(), 3),
                Arguments.of("overlay", SampleFigures.functionOverlay(), 3),
                Arguments.of("scatter", SampleFigures.scatter(), 2),
                Arguments.of("panels", SampleFigures.panels(), 2),
                Arguments.of("secondary", SampleFigures.secondaryAxis(), 2));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("charts")
    void writesAPngAndAnSvgOfTheChart(String name, Chart chart, int colours) throws Exception {
        List<Path> files = Figures.save(chart, dir, name);

        assertThat(files).containsExactly(dir.resolve(name + ".png"), dir.resolve(name + ".svg"));
        BufferedImage png = ImageIO.read(files.get(0).toFile());
        assertThat(png).isNotNull();
        assertThat(png.getWidth()).isEqualTo(Figures.DEFAULT_WIDTH);
        assertThat(png.getHeight()).isEqualTo(Figures.DEFAULT_HEIGHT);
        assertThat(distinctColours(png)).as("distinct colours").isGreaterThan(50);
        for (int i = 0; i < colours; i++) {
            assertThat(pixelsNear(png, Theme.colour(i))).as("pixels of palette colour %d", i).isGreaterThan(30);
        }
        assertThat(png.getRGB(2, 2) & 0xFFFFFF).as("background").isEqualTo(0xFFFFFF);

        Document svg = parseXml(files.get(1));
        assertThat(svg.getDocumentElement().getTagName()).isEqualTo("svg");
        String text = Files.readString(files.get(1), StandardCharsets.UTF_8);
        assertThat(text).startsWith("<?xml").contains("<svg").contains(escape(chart.title()));
        assertThat(text).contains("rgb(0,114,178)");
    }

    @Test
    void theOverlayDrawsTheTruthInGreyBeneathThePredictions() {
        BufferedImage png = Figures.render(SampleFigures.functionOverlay(), 900, 600);

        assertThat(pixelsNear(png, Theme.REFERENCE)).isGreaterThan(500);
        assertThat(pixelsNear(png, Theme.colour(0))).isGreaterThan(100);
    }

    @Test
    void renderHonoursTheRequestedSize() throws IOException {
        List<Path> files = Figures.save(SampleFigures.lossChart(), dir, "small", 640, 400);
        BufferedImage png = ImageIO.read(files.get(0).toFile());

        assertThat(png.getWidth()).isEqualTo(640);
        assertThat(png.getHeight()).isEqualTo(400);
        assertThat(Figures.render(SampleFigures.scatter(), 300, 200).getWidth()).isEqualTo(300);
        assertThat(Files.readString(files.get(1))).contains("width='640.0'").contains("height='400.0'");
    }

    @Test
    void logAxesSkipNonPositiveAndNonFiniteValues() {
        double[] x = {-1, 0, 1, 10, 100, Double.NaN};
        double[] y = {5, -2, 0, 0.3, Double.POSITIVE_INFINITY, 4};
        LineChart line = LineChart.builder("log")
                .logX(true).logY(true)
                .add(Series.line("a", x, y))
                .add(Series.line("nothing drawable", new double[] {-1, 0}, new double[] {1, 2}))
                .secondaryYLabel("right").logSecondaryY(true)
                .addSecondary(Series.points("b", x, new double[] {0, 0, 0, 0, 0, 0}))
                .build();
        ScatterChart scatter = ScatterChart.builder("log scatter").logX(true).logY(true)
                .addLabelled("c", x, y, new String[] {"a", "b", "c", "d", "e", "f"})
                .build();
        PanelChart panels = PanelChart.of("log panels", "x", List.of(line,
                LineChart.builder("second").logX(true).add(Series.line("d", x, y)).build()));

        assertThatCode(() -> {
            Figures.render(line, 400, 300);
            Figures.render(scatter, 400, 300);
            Figures.render(panels, 400, 300);
            Figures.save(line, dir, "log");
        }).doesNotThrowAnyException();

        // Of the pairs (x, y) only (10, 0.3) is finite and positive in both; the secondary series has y = 0 only.
        JFreeChart lineChart = ChartRenderer.toJFreeChart(line);
        lineChart.createBufferedImage(400, 300);
        XYPlot linePlot = (XYPlot) lineChart.getPlot();
        assertThat(points(linePlot)).containsExactly("a: (10.0, 0.3)");
        assertThat(linePlot.getDomainAxis().getLowerBound()).isPositive();
        assertThat(linePlot.getRangeAxis().getLowerBound()).isPositive();
        assertThat(linePlot.getRangeAxis(1).getLowerBound()).isPositive();

        JFreeChart scatterChart = ChartRenderer.toJFreeChart(scatter);
        scatterChart.createBufferedImage(400, 300);
        XYPlot scatterPlot = (XYPlot) scatterChart.getPlot();
        assertThat(points(scatterPlot)).containsExactly("c: (10.0, 0.3)");
        assertThat(scatterPlot.getRenderer().getItemLabelGenerator(0, 0).generateLabel(scatterPlot.getDataset(), 0, 0))
                .as("the label of the kept point").isEqualTo("d");
        assertThat(scatterPlot.getDomainAxis().getLowerBound()).isPositive();
        assertThat(scatterPlot.getRangeAxis().getLowerBound()).isPositive();

        // In the second panel only x is logarithmic: (1, 0) stays, as y = 0 is drawable on a linear axis.
        List<XYPlot> subplots = ((org.jfree.chart.plot.CombinedDomainXYPlot) ChartRenderer.toJFreeChart(panels)
                .getPlot()).getSubplots();
        assertThat(points(subplots.get(0))).containsExactly("a: (10.0, 0.3)");
        assertThat(points(subplots.get(1))).containsExactly("d: (1.0, 0.0)", "d: (10.0, 0.3)");
    }

    /** Every point the plot's datasets hold, as "series: (x, y)". */
    private static List<String> points(XYPlot plot) {
        List<String> out = new java.util.ArrayList<>();
        for (int d = 0; d < plot.getDatasetCount(); d++) {
            org.jfree.data.xy.XYDataset data = plot.getDataset(d);
            for (int s = 0; data != null && s < data.getSeriesCount(); s++) {
                for (int i = 0; i < data.getItemCount(s); i++) {
                    out.add(data.getSeriesKey(s) + ": (" + data.getXValue(s, i) + ", " + data.getYValue(s, i) + ")");
                }
            }
        }
        return out;
    }

    @Test
    void aLogAxisWithinOneDecadeWidensToTheEnclosingDecades() {
        LineChart chart = LineChart.builder("narrow").logY(true)
                .add(Series.line("a", new double[] {0, 1, 2}, new double[] {0.2, 0.5, 0.8}))
                .build();
        JFreeChart jfc = ChartRenderer.toJFreeChart(chart);
        jfc.createBufferedImage(600, 400);
        ValueAxis y = ((XYPlot) jfc.getPlot()).getRangeAxis();

        assertThat(y).isInstanceOf(DecadeLogAxis.class);
        assertThat(y.getLowerBound()).isCloseTo(0.1, within(1e-12));
        assertThat(y.getUpperBound()).isCloseTo(1.0, within(1e-12));
    }

    /**
     * A horizontal log axis keeps the data's range: batch sizes 64 and 800 fill the plot instead of the right half
     * of 10 to 1,000, and are labelled at 1, 2 and 5 times a power of ten.
     */
    @Test
    void aHorizontalLogAxisWithinOneDecadeKeepsTheDataRangeWithOnesTwosAndFives() {
        LineChart chart = LineChart.builder("two batch sizes").logX(true)
                .add(Series.line("a", new double[] {64, 800}, new double[] {0.5, 0.7}))
                .build();
        JFreeChart jfc = ChartRenderer.toJFreeChart(chart);
        jfc.createBufferedImage(600, 400);
        ValueAxis x = ((XYPlot) jfc.getPlot()).getDomainAxis();
        Graphics2D g2 = new BufferedImage(10, 10, BufferedImage.TYPE_INT_RGB).createGraphics();
        List<String> labels = new ArrayList<>();
        for (Object tick : x.refreshTicks(g2, new AxisState(), new Rectangle2D.Double(0, 0, 500, 300),
                RectangleEdge.BOTTOM)) {
            String text = ((ValueTick) tick).getText();
            if (!text.isEmpty()) {
                labels.add(text);
            }
        }

        assertThat(x.getLowerBound()).isBetween(50.0, 64.0);
        assertThat(x.getUpperBound()).isBetween(800.0, 1000.0);
        assertThat(labels).containsExactly("100", "200", "500");
    }

    @Test
    void tinyValuesAreLabelledInAPowerOfTenThatTheAxisLabelStates() {
        LineChart chart = LineChart.builder("tiny").yLabel("weight change")
                .add(Series.line("a", new double[] {0, 1, 2}, new double[] {3e-5, 2e-5, 1e-5}))
                .build();
        XYPlot plot = (XYPlot) ChartRenderer.toJFreeChart(chart).getPlot();

        assertThat(plot.getRangeAxis().getLabel()).isEqualTo("weight change (×10⁻⁵)");
        assertThat(plot.getDomainAxis().getLabel()).isEmpty();
    }

    @Test
    void aConstantSeriesGetsARangeAroundItsValue() {
        LineChart chart = LineChart.builder("flat")
                .add(Series.line("a", new double[] {0, 1, 2}, new double[] {2, 2, 2}))
                .build();
        JFreeChart jfc = ChartRenderer.toJFreeChart(chart);
        jfc.createBufferedImage(600, 400);
        ValueAxis y = ((XYPlot) jfc.getPlot()).getRangeAxis();

        assertThat(y.getLowerBound()).isLessThanOrEqualTo(1.8);
        assertThat(y.getUpperBound()).isGreaterThanOrEqualTo(2.2);
    }

    @Test
    void aSecondaryAxisFromZeroIncludesZero() {
        LineChart chart = LineChart.builder("from zero")
                .add(Series.line("loss", new double[] {1, 2, 3}, new double[] {0.3, 0.2, 0.1}))
                .secondaryYLabel("sharpness (%)").secondaryYFromZero(true)
                .addSecondary(Series.dashed("sharpness", new double[] {1, 2, 3}, new double[] {3.1, 3.9, 3.4}))
                .build();
        JFreeChart jfc = ChartRenderer.toJFreeChart(chart);
        jfc.createBufferedImage(600, 400);
        XYPlot plot = (XYPlot) jfc.getPlot();

        assertThat(chart.secondaryYFromZero()).isTrue();
        assertThat(plot.getRangeAxis(1).getLowerBound()).isEqualTo(0.0);
        assertThat(plot.getRangeAxis(1).getUpperBound()).isGreaterThanOrEqualTo(3.9);
        assertThat(plot.getRangeAxis(0).getLowerBound()).isGreaterThan(0.0);
    }

    @Test
    void anExistingFigureIsReplacedAndNoTemporaryFileIsLeft() throws IOException {
        Files.writeString(dir.resolve("loss.png"), "not a png");
        Files.writeString(dir.resolve("loss.svg"), "not an svg");

        Figures.save(SampleFigures.lossChart(), dir, "loss");
        Figures.save(SampleFigures.panels(), dir, "loss");

        assertThat(ImageIO.read(dir.resolve("loss.png").toFile())).isNotNull();
        assertThat(Files.readString(dir.resolve("loss.svg"))).contains(SampleFigures.panels().title());
        try (Stream<Path> listing = Files.list(dir)) {
            assertThat(listing.map(p -> p.getFileName().toString()))
                    .containsExactlyInAnyOrder("loss.png", "loss.svg");
        }
    }

    @Test
    void theTemporaryFileHasALosslabName() throws IOException {
        List<String> seen = new java.util.ArrayList<>();
        Figures.writeAtomically(dir.resolve("fig.png"), out -> {
            try (Stream<Path> listing = Files.list(dir)) {
                listing.map(p -> p.getFileName().toString()).forEach(seen::add);
            }
        });
        assertThat(seen).singleElement().asString().matches("\\.losslab-fig\\.png\\.[0-9a-f]+\\.tmp");
    }

    @Test
    void aFailedWriteLeavesTheOldFileAndNoTemporaryFile() throws IOException {
        Path target = dir.resolve("fig.png");
        Files.writeString(target, "old figure");

        assertThatThrownBy(() -> Figures.writeAtomically(target, out -> {
            out.write(new byte[] {1, 2, 3});
            throw new IOException("disk full");
        })).isInstanceOf(IOException.class).hasMessage("disk full");

        assertThat(Files.readString(target)).isEqualTo("old figure");
        try (Stream<Path> listing = Files.list(dir)) {
            assertThat(listing).containsExactly(target);
        }
    }

    @Test
    void theSameChartGivesTheSameFiles() throws IOException {
        Path a = dir.resolve("a");
        Path b = dir.resolve("b");
        List<Path> first = Figures.save(SampleFigures.scatter(), a, "pca");
        List<Path> second = Figures.save(SampleFigures.scatter(), b, "pca");

        assertThat(Files.readAllBytes(first.get(0))).isEqualTo(Files.readAllBytes(second.get(0)));
        assertThat(Files.readString(first.get(1))).isEqualTo(Files.readString(second.get(1)));
    }

    @Test
    void missingDirectoriesAreCreated() throws IOException {
        Path nested = dir.resolve("runs/a/figures");
        Figures.save(SampleFigures.scatter(), nested, "pca");

        assertThat(nested.resolve("pca.png")).isRegularFile();
        assertThat(nested.resolve("pca.svg")).isRegularFile();
    }

    @Test
    void badNamesAndSizesAreRejected() {
        LineChart chart = SampleFigures.lossChart();

        assertThatThrownBy(() -> Figures.save(chart, dir, "a/b"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("a/b");
        assertThatThrownBy(() -> Figures.save(chart, dir, " "))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("base name");
        assertThatThrownBy(() -> Figures.render(chart, 0, 100))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("0x100");
    }

    @Test
    void aChartWithOneSeriesHasNoLegendAndOneWithSeveralHasOne() {
        LineChart one = LineChart.builder("one")
                .add(Series.line("a", new double[] {0, 1}, new double[] {0, 1}))
                .build();

        assertThat(ChartRenderer.toJFreeChart(one).getLegend()).isNull();
        assertThat(ChartRenderer.toJFreeChart(SampleFigures.lossChart()).getLegend()).isNotNull();
    }

    @Test
    void panelsShareColoursAndLegendEntriesBySeriesName() {
        JFreeChart jfc = ChartRenderer.toJFreeChart(SampleFigures.panels());

        assertThat(jfc.getLegend().getSources()[0].getLegendItems().getItemCount()).isEqualTo(2);
    }

    @Test
    void aSeriesDrawnInTheColourOfAnotherTakesNoPaletteColourOfItsOwn() {
        double[] x = {0, 1, 2, 3};
        LineChart chart = LineChart.builder("threshold")
                .add(Series.line("curve", x, new double[] {0, 1, 2, 3}))
                .add(Series.dashed("its threshold", x, new double[] {2, 2, 2, 2}).withColourOf("curve"))
                .add(Series.line("another", x, new double[] {3, 2, 1, 0}))
                .build();
        BufferedImage png = Figures.render(chart, 600, 400);

        assertThat(pixelsNear(png, Theme.colour(0))).isGreaterThan(300);
        assertThat(pixelsNear(png, Theme.colour(1))).isGreaterThan(100);
        assertThat(pixelsNear(png, Theme.colour(2))).isZero();
        Series s = Series.dashed("t", x, x).withColourOf("curve");
        assertThat(s.withBand(x, x).colourKey()).isEqualTo("curve");
        assertThat(s.withStyle(SeriesStyle.LINE).colourKey()).isEqualTo("curve");
        assertThat(Series.line("own", x, x).colourKey()).isEqualTo("own");
    }

    @Test
    void blankTitlesDrawNoTitle() {
        LineChart chart = LineChart.builder("")
                .add(Series.line("a", new double[] {0, 1}, new double[] {0, 1}))
                .build();

        assertThat(ChartRenderer.toJFreeChart(chart).getTitle()).isNull();
        assertThat(Figures.toSvg(chart, 300, 200)).contains("<svg");
    }

    @Test
    void renderingIsHeadless() {
        Figures.render(SampleFigures.lossChart(), 10, 10);

        assertThat(System.getProperty("java.awt.headless")).isEqualTo("true");
    }

    @Test
    void theSamplesAreWritten() throws IOException {
        assertThat(SampleFigures.writeAll(dir)).hasSize(12).allSatisfy(p -> assertThat(p).isRegularFile());
    }

    private static int distinctColours(BufferedImage image) {
        Set<Integer> colours = new HashSet<>();
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                colours.add(image.getRGB(x, y) & 0xFFFFFF);
            }
        }
        return colours.size();
    }

    private static int pixelsNear(BufferedImage image, Color colour) {
        int count = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                int rgb = image.getRGB(x, y);
                int dr = Math.abs(((rgb >> 16) & 0xFF) - colour.getRed());
                int dg = Math.abs(((rgb >> 8) & 0xFF) - colour.getGreen());
                int db = Math.abs((rgb & 0xFF) - colour.getBlue());
                if (Math.max(dr, Math.max(dg, db)) <= 12) {
                    count++;
                }
            }
        }
        return count;
    }

    private static Document parseXml(Path file) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        try (InputStream in = Files.newInputStream(file)) {
            return factory.newDocumentBuilder().parse(in);
        }
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
