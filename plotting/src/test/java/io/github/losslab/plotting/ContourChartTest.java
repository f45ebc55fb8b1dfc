package io.github.losslab.plotting;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.awt.Graphics2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javax.imageio.ImageIO;
import javax.xml.parsers.DocumentBuilderFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.AxisState;
import org.jfree.chart.axis.ValueTick;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.ui.RectangleEdge;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;

class ContourChartTest {

    @TempDir
    Path dir;

    /** {@code x² + y²} on an {@code n x n} grid of [-1, 1]². */
    private static double[][] paraboloid(double[] g) {
        double[][] z = new double[g.length][g.length];
        for (int j = 0; j < g.length; j++) {
            for (int i = 0; i < g.length; i++) {
                z[j][i] = g[i] * g[i] + g[j] * g[j];
            }
        }
        return z;
    }

    private static double[] grid(int n, double from, double to) {
        double[] g = new double[n];
        for (int i = 0; i < n; i++) {
            g[i] = from + (to - from) * i / (n - 1);
        }
        return g;
    }

    @Test
    void isolinesOfXSquaredPlusYSquaredAreClosedCirclesOfTheRightRadius() {
        double[] g = grid(81, -1, 1);
        double[][] z = paraboloid(g);
        for (double r : new double[] {0.25, 0.5, 0.9}) {
            List<MarchingSquares.Polyline> lines = MarchingSquares.isolines(g, g, z, r * r);

            assertThat(lines).as("radius %s", r).hasSize(1);
            MarchingSquares.Polyline circle = lines.get(0);
            assertThat(circle.closed()).isTrue();
            assertThat(circle.x()[0]).isEqualTo(circle.x()[circle.size() - 1]);
            double length = 0;
            for (int i = 0; i < circle.size(); i++) {
                // linear interpolation of x² along an edge of width h errs by at most h²/4 in the level
                assertThat(Math.hypot(circle.x()[i], circle.y()[i])).isCloseTo(r, within(0.0005 / r + 1e-12));
                if (i > 0) {
                    length += Math.hypot(circle.x()[i] - circle.x()[i - 1], circle.y()[i] - circle.y()[i - 1]);
                }
            }
            assertThat(length).isCloseTo(2 * Math.PI * r, within(0.01 * r));
        }
    }

    @Test
    void aLevelThatLeavesTheGridGivesOpenArcsEndingOnTheBorder() {
        double[] g = grid(41, -1, 1);
        List<MarchingSquares.Polyline> lines = MarchingSquares.isolines(g, g, paraboloid(g), 1.44);

        assertThat(lines).hasSize(4);
        for (MarchingSquares.Polyline arc : lines) {
            assertThat(arc.closed()).isFalse();
            for (double[] end : List.of(new double[] {arc.x()[0], arc.y()[0]},
                    new double[] {arc.x()[arc.size() - 1], arc.y()[arc.size() - 1]})) {
                assertThat(Math.max(Math.abs(end[0]), Math.abs(end[1]))).isCloseTo(1.0, within(1e-12));
            }
        }
    }

    @Test
    void aSaddleCellIsResolvedByItsCentreAndNaNCellsAreSkipped() {
        double[] g = {0, 1};
        // corners 00 and 11 high, centre mean 0.5 above level 0.4: the high corners are joined, two lines
        List<MarchingSquares.Polyline> joined = MarchingSquares.isolines(g, g, new double[][] {{1, 0}, {0, 1}}, 0.4);
        assertThat(joined).hasSize(2);
        for (MarchingSquares.Polyline l : joined) {
            assertThat(l.size()).isEqualTo(2);
        }
        assertThat(MarchingSquares.isolines(g, g, new double[][] {{1, Double.NaN}, {0, 1}}, 0.4)).isEmpty();
        assertThat(MarchingSquares.isolines(g, g, new double[][] {{0, 0}, {0, 0}}, 0.4)).isEmpty();
    }

    @Test
    void writesADecodablePngAndAValidSvg() throws Exception {
        List<Path> files = Figures.save(SampleFigures.contour(), dir, "surface");

        BufferedImage png = ImageIO.read(files.get(0).toFile());
        assertThat(png).isNotNull();
        assertThat(distinctColours(png)).isGreaterThan(500);
        // the dark and the bright end of viridis are both on the map
        assertThat(pixelsNear(png, 0x440154, 30) + pixelsNear(png, 0x482475, 30)).isGreaterThan(100);
        assertThat(pixelsNear(png, 0xFDE725, 30) + pixelsNear(png, 0xBDDF26, 30)).isGreaterThan(100);
        assertThat(pixelsNear(png, 0xD55E00, 12)).as("the path").isGreaterThan(50);

        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        Document svg;
        try (InputStream in = Files.newInputStream(files.get(1))) {
            svg = factory.newDocumentBuilder().parse(in);
        }
        assertThat(svg.getDocumentElement().getTagName()).isEqualTo("svg");
        String text = Files.readString(files.get(1), StandardCharsets.UTF_8);
        assertThat(text).contains("Training loss around the trained model").contains("<image")
                .contains("linearGradient");
        assertThat(Files.size(files.get(1))).as("SVG bytes").isLessThan(1_500_000);
    }

    @Test
    void theColourBarIsASecondAxisSpanningTheValues() {
        ContourChart chart = SampleFigures.contour();
        JFreeChart jfc = ChartRenderer.toJFreeChart(chart);
        jfc.createBufferedImage(800, 600);
        XYPlot plot = (XYPlot) jfc.getPlot();

        assertThat(plot.getRangeAxis(1)).isInstanceOf(DecadeLogAxis.class);
        assertThat(plot.getRangeAxis(1).getLabel()).isEqualTo("training loss (cross-entropy, nats)");
        assertThat(plot.getRangeAxis(1).getLowerBound()).isEqualTo(chart.colourMin());
        assertThat(plot.getRangeAxis(1).getUpperBound()).isEqualTo(chart.colourMax());
        assertThat(plot.getDomainAxis().getLowerBound()).isEqualTo(-1.0);
        assertThat(plot.getDomainAxis().getUpperBound()).isEqualTo(1.0);
        assertThat(jfc.getLegend()).isNotNull();
        assertThat(jfc.getLegend().getSources()[0].getLegendItems().getItemCount()).isEqualTo(2);
    }

    @Test
    void levelsAreRoundNumbersInsideTheRange() {
        assertThat(ContourChart.linearLevels(0.03, 0.97)).containsExactly(0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8,
                0.9);
        assertThat(ContourChart.logLevels(0.05, 20)).containsExactly(0.07, 0.1, 0.2, 0.3, 0.5, 0.7, 1.0, 2.0, 3.0,
                5.0, 7.0, 10.0);
        assertThat(ContourChart.logLevels(0.2, 0.9)).containsExactly(0.3, 0.4, 0.5, 0.7);
        double[] g = grid(5, 0, 1);
        ContourChart chosen = ContourChart.builder("c").grid(g, g, paraboloid(g)).levels(0.5, 0.1).build();
        assertThat(chosen.levels()).containsExactly(0.1, 0.5);
        assertThat(chosen.colourMin()).isEqualTo(0.0);
        assertThat(chosen.colourMax()).isEqualTo(2.0);
        assertThat(ContourRenderer.formatLevel(0.07000000001)).isEqualTo("0.07");
        assertThat(ContourRenderer.formatLevel(2.0)).isEqualTo("2");
    }

    @Test
    void levelLabelsHaveThreeSignificantDigitsInTheColourBarsStyle() {
        assertThat(ContourRenderer.formatLevel(125_000)).isEqualTo("125,000");
        assertThat(ContourRenderer.formatLevel(140_000)).isEqualTo("140,000");
        assertThat(ContourRenderer.formatLevel(1_234_567)).isEqualTo("1,230,000");
        assertThat(ContourRenderer.formatLevel(9_999.9)).isEqualTo("10,000");
        assertThat(ContourRenderer.formatLevel(2_500)).isEqualTo("2500");
        assertThat(ContourRenderer.formatLevel(0.00125)).isEqualTo("0.00125");
        assertThat(ContourRenderer.formatLevel(0.000125)).isEqualTo("1.25×10⁻⁴");
        assertThat(ContourRenderer.formatLevel(1.25e8)).isEqualTo("1.25×10⁸");
        assertThat(ContourRenderer.formatLevel(1e-6)).isEqualTo("10⁻⁶");
        assertThat(ContourRenderer.formatLevel(-0.5)).isEqualTo("−0.5");
        assertThat(ContourRenderer.formatLevel(-125_000)).isEqualTo("−125,000");
        assertThat(ContourRenderer.formatLevel(0.1 + 0.2)).isEqualTo("0.3");
        assertThat(ContourRenderer.formatLevel(0)).isEqualTo("0");
        // In the units of a colour bar labelled "(×10⁻⁵)", as its ticks are.
        assertThat(ContourRenderer.formatLevel(1.25e-5, -5)).isEqualTo("1.25");
        assertThat(ContourRenderer.formatLevel(2e-6, -5)).isEqualTo("0.2");
        assertThat(ContourRenderer.formatLevel(3.5e8, 8)).isEqualTo("3.5");
    }

    @Test
    void levelLabelsAndColourBarTicksAgreeInTheDrawnFigure() throws Exception {
        double[] g = grid(41, -1, 1);
        double[][] large = paraboloid(g);
        double[][] tiny = paraboloid(g);
        for (int j = 0; j < g.length; j++) {
            for (int i = 0; i < g.length; i++) {
                large[j][i] *= 75_000;
                tiny[j][i] *= 1e-5;
            }
        }
        ContourChart big = ContourChart.builder("big").valueLabel("loss").grid(g, g, large).build();
        ContourChart small = ContourChart.builder("small").valueLabel("loss").grid(g, g, tiny).build();

        List<String> bigTexts = svgTexts(Figures.toSvg(big, 900, 700));
        List<String> smallTexts = svgTexts(Figures.toSvg(small, 900, 700));

        // Levels 20,000 to 140,000 and ticks of the bar from 0 to 150,000: one style, grouped thousands. The labels
        // used to read 20000 and 1.2e+05 beside the bar's 120,000.
        List<String> bigNumbers = bigTexts.stream().filter(t -> t.matches(".*[0-9].*")).toList();
        assertThat(bigNumbers).isNotEmpty().allMatch(t -> t.matches("−?[0-9]{1,3}(,[0-9]{3})*(\\.[0-9]+)?"),
                "plain numbers with thousands grouped");
        assertThat(bigNumbers).filteredOn(t -> t.length() >= 6).hasSizeGreaterThan(3);
        long repeated = bigNumbers.stream().filter(t -> t.length() >= 6)
                .filter(t -> bigNumbers.indexOf(t) != bigNumbers.lastIndexOf(t)).distinct().count();
        assertThat(repeated).as("values written both by a level and by the colour bar").isPositive();
        // Values of about 1e-5: the bar is labelled in units of 10⁻⁵, and so are the levels (0.2 to 1.8).
        XYPlot smallPlot = (XYPlot) ChartRenderer.toJFreeChart(small).getPlot();
        assertThat(smallPlot.getRangeAxis(1).getLabel()).isEqualTo("loss (×10⁻⁵)");
        List<String> smallNumbers = smallTexts.stream().filter(t -> t.matches("[−0-9.,]+")).toList();
        assertThat(smallNumbers).isNotEmpty().allMatch(t -> !t.isEmpty() && Double.parseDouble(
                t.replace('−', '-')) <= 2.0, "in units of 10⁻⁵");
        assertThat(smallTexts).noneMatch(t -> t.contains("e-0") || t.contains("×10⁻⁶"));
    }

    /** The text of every text element of an SVG document, in order. */
    private static List<String> svgTexts(String svg) throws Exception {
        Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new java.io.ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
        org.w3c.dom.NodeList nodes = doc.getElementsByTagName("text");
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < nodes.getLength(); i++) {
            texts.add(nodes.item(i).getTextContent().strip());
        }
        return texts;
    }

    @Test
    void aLogScaleDrawsNonPositiveValuesAsMissing() {
        double[] g = grid(3, -1, 1);
        double[][] z = {{-1, 1, 2}, {1, Double.NaN, 3}, {0, 4, 8}};
        ContourChart chart = ContourChart.builder("log").grid(g, g, z).logScale(true).build();

        assertThat(chart.colourMin()).isEqualTo(1.0);
        assertThat(chart.colourMax()).isEqualTo(8.0);
        assertThat(Figures.render(chart, 400, 300)).isNotNull();
    }

    @Test
    void aLogColourBarOfFewerThanThreeDecadesIsLabelledAtOnesTwosAndFives() {
        double[] g = grid(3, -1, 1);
        ContourChart chart = ContourChart.builder("narrow").valueLabel("loss").logScale(true)
                .grid(g, g, new double[][] {{0.12, 0.2, 0.3}, {0.25, 0.4, 0.5}, {0.6, 0.8, 0.92}}).build();
        JFreeChart jfc = ChartRenderer.toJFreeChart(chart);
        jfc.createBufferedImage(800, 600);
        XYPlot plot = (XYPlot) jfc.getPlot();
        Graphics2D g2 = new BufferedImage(10, 10, BufferedImage.TYPE_INT_RGB).createGraphics();
        List<String> labels = new ArrayList<>();
        for (Object tick : plot.getRangeAxis(1).refreshTicks(g2, new AxisState(),
                new Rectangle2D.Double(0, 0, 600, 500), RectangleEdge.RIGHT)) {
            String text = ((ValueTick) tick).getText();
            if (!text.isEmpty()) {
                labels.add(text);
            }
        }

        assertThat(chart.colourMin()).isEqualTo(0.12);
        assertThat(chart.colourMax()).isEqualTo(0.92);
        assertThat(labels).containsExactly("0.2", "0.3", "0.4", "0.5", "0.6", "0.7", "0.8", "0.9");
        assertThat(jfc.getLegend()).as("no path and no centre: nothing to explain").isNull();
    }

    @Test
    void badGridsAreRejected() {
        double[] g = grid(3, 0, 1);
        assertThatThrownBy(() -> ContourChart.builder("none").build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("grid(");
        assertThatThrownBy(() -> ContourChart.builder("order").grid(new double[] {0, 2, 1}, g,
                paraboloid(g)).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("increasing");
        assertThatThrownBy(() -> ContourChart.builder("rows").grid(g, g, new double[2][3]).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("one row of values per y");
        assertThatThrownBy(() -> ContourChart.builder("nan").grid(g, g, new double[][] {
            {Double.NaN, Double.NaN, Double.NaN}, {Double.NaN, Double.NaN, Double.NaN},
            {Double.NaN, Double.NaN, Double.NaN}}).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no value that can be drawn");
        assertThatThrownBy(() -> ContourChart.builder("level").grid(g, g, paraboloid(g)).logScale(true)
                .levels(0, 1).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("level 0.0");
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

    private static int pixelsNear(BufferedImage image, int rgb, int tolerance) {
        int count = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                int p = image.getRGB(x, y);
                int dr = Math.abs(((p >> 16) & 0xFF) - ((rgb >> 16) & 0xFF));
                int dg = Math.abs(((p >> 8) & 0xFF) - ((rgb >> 8) & 0xFF));
                int db = Math.abs((p & 0xFF) - (rgb & 0xFF));
                if (Math.max(dr, Math.max(dg, db)) <= tolerance) {
                    count++;
                }
            }
        }
        return count;
    }
}
