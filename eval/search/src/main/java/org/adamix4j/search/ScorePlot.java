package org.adamix4j.search;

import org.adamix4j.onnx.AtomicFiles;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The search's PNG: score of every complete candidate against one knob, the best candidate marked.
 * Numeric knobs get a numeric axis (logarithmic for log-uniform knobs); word-valued knobs get one
 * position per value, in the order the values first occur. Rendered headless (no display needed).
 */
final class ScorePlot {
    private ScorePlot() {
    }

    /**
     * Writes the plot to {@code png} (atomically).
     *
     * @param knob   the x axis
     * @param title  chart title
     * @param metric the y axis label
     * @param log    logarithmic x axis
     */
    static void write(Path png, List<CandidateRow> rows, Knob knob, String title, String metric, boolean log) {
        if (System.getProperty("java.awt.headless") == null) System.setProperty("java.awt.headless", "true");
        List<CandidateRow> done = rows.stream().filter(r -> r.status() == CandidateRow.Status.COMPLETE).toList();
        if (done.isEmpty()) return;
        boolean numeric = done.stream().allMatch(r -> r.knobs().get(knob.id()) instanceof Number);
        List<Object> levels = new ArrayList<>();
        if (!numeric) done.forEach(r -> {
            Object v = r.knobs().get(knob.id());
            if (!levels.contains(v)) levels.add(v);
        });
        CandidateRow best = done.stream().max((a, b) -> Double.compare(a.score(), b.score())).orElseThrow();

        XYChart chart = new XYChartBuilder().width(800).height(500).title(title).xAxisTitle(knob.id())
                .yAxisTitle("dev " + metric + " (best epoch)").build();
        chart.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideSE);
        chart.getStyler().setMarkerSize(10);
        if (numeric) {
            chart.getStyler().setXAxisLogarithmic(log);
        } else {
            chart.getStyler().setXAxisMin(-0.5).setXAxisMax(levels.size() - 0.5);
            chart.getStyler().setXAxisTickLabelsFormattingFunction(x -> {
                int i = (int) Math.round(x);
                return Math.abs(x - i) < 1e-9 && i >= 0 && i < levels.size() ? String.valueOf(levels.get(i)) : "";
            });
        }
        List<CandidateRow> others = done.stream().filter(r -> r != best).toList();
        if (!others.isEmpty()) {
            chart.addSeries("candidates", x(others, knob, numeric, levels), others.stream().mapToDouble(CandidateRow::score).toArray())
                    .setMarker(SeriesMarkers.CIRCLE);
        }
        chart.addSeries("best (candidate " + best.number() + ")", x(List.of(best), knob, numeric, levels),
                new double[]{best.score()}).setMarker(SeriesMarkers.DIAMOND);
        AtomicFiles.write(png, p -> Files.write(p, BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG)));
    }

    private static double[] x(List<CandidateRow> rows, Knob knob, boolean numeric, List<Object> levels) {
        return rows.stream().mapToDouble(r -> {
            Object v = r.knobs().get(knob.id());
            return numeric ? ((Number) v).doubleValue() : levels.indexOf(v);
        }).toArray();
    }
}
