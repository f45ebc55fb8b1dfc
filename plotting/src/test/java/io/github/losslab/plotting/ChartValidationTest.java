package io.github.losslab.plotting;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChartValidationTest {

    private static final double[] X = {1, 2, 3};

    @Test
    void lineChartWithoutSeriesIsRejected() {
        assertThatThrownBy(() -> LineChart.builder("loss").build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'loss'")
                .hasMessageContaining("no series");
    }

    @Test
    void lineChartWithOnlySecondarySeriesIsRejected() {
        assertThatThrownBy(() -> LineChart.builder("loss").addSecondary(Series.line("lr", X, X)).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no series");
    }

    @Test
    void repeatedSeriesNamesAreRejected() {
        assertThatThrownBy(() -> LineChart.builder("loss")
                        .add(Series.line("train", X, X))
                        .addSecondary(Series.line("train", X, X))
                        .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("two series named 'train'");
    }

    @Test
    void scatterWithoutSeriesIsRejected() {
        assertThatThrownBy(() -> ScatterChart.builder("pca").build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no series");
    }

    @Test
    void scatterNeedsOneLabelPerPoint() {
        assertThatThrownBy(() -> ScatterChart.builder("pca").addLabelled("run", X, X, new String[] {"a"}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'run'")
                .hasMessageContaining("3 points and 1 labels");
    }

    @Test
    void scatterLabelsAreKeptPerSeries() {
        String[] labels = {"a", null, "c"};
        ScatterChart chart = ScatterChart.builder("pca")
                .add(Series.points("plain", X, X))
                .addLabelled("run", X, X, labels)
                .build();
        labels[0] = "changed";

        assertThat(chart.labels(0)).isEmpty();
        assertThat(chart.labels(1)).containsExactly("a", null, "c");
        assertThat(chart.series().get(1).style()).isEqualTo(SeriesStyle.POINTS);
    }

    @Test
    void functionOverlayChecksEveryPrediction() {
        LinkedHashMap<String, double[]> predictions = new LinkedHashMap<>();
        predictions.put("epoch 10", new double[] {1, 2});

        assertThatThrownBy(() -> FunctionOverlay.chart("fit", "x", "y", X, X, predictions))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'epoch 10'")
                .hasMessageContaining("3 inputs and 2 predicted values");
        assertThatThrownBy(() -> FunctionOverlay.chart("fit", "x", "y", X, new double[] {1}, new LinkedHashMap<>()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ground truth");
    }

    @Test
    void functionOverlayPutsTheTruthFirstAsReference() {
        LinkedHashMap<String, double[]> predictions = new LinkedHashMap<>();
        predictions.put("b", X);
        predictions.put("a", X);
        LineChart chart = FunctionOverlay.chart("fit", "x", "y", X, X, predictions);

        assertThat(chart.series()).extracting(Series::name).containsExactly(FunctionOverlay.TRUTH_NAME, "b", "a");
        assertThat(chart.series().get(0).style()).isEqualTo(SeriesStyle.REFERENCE);
        assertThat(chart.series().get(1).style()).isEqualTo(SeriesStyle.LINE);
    }

    @Test
    void panelChartNeedsPanelsThatAgreeOnTheXAxis() {
        LineChart linear = LineChart.builder("a").add(Series.line("s", X, X)).build();
        LineChart log = LineChart.builder("b").logX(true).add(Series.line("s", X, X)).build();

        assertThatThrownBy(() -> PanelChart.of("p", "step", List.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no panels");
        assertThatThrownBy(() -> PanelChart.of("p", "step", List.of(linear, log)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("logX");
    }

    @Test
    void lineChartKeepsWhatItWasGiven() {
        LineChart chart = LineChart.builder("t").xLabel("step").yLabel("loss").logY(true)
                .add(Series.line("train", X, X))
                .secondaryYLabel("lr").logSecondaryY(true).addSecondary(Series.dashed("lr", X, X))
                .build();

        assertThat(chart.title()).isEqualTo("t");
        assertThat(chart.xLabel()).isEqualTo("step");
        assertThat(chart.yLabel()).isEqualTo("loss");
        assertThat(chart.logX()).isFalse();
        assertThat(chart.logY()).isTrue();
        assertThat(chart.hasSecondaryAxis()).isTrue();
        assertThat(chart.secondaryYLabel()).isEqualTo("lr");
        assertThat(chart.logSecondaryY()).isTrue();
        assertThat(chart.secondarySeries()).extracting(Series::name).containsExactly("lr");
    }
}
