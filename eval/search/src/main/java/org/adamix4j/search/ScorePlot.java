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
import java.util.Arrays;
import java.util.List;

/**
 * The search's PNG: score of every complete candidate against one knob, the best candidate marked.
 * Numeric knobs get a numeric axis (logarithmic for log-uniform knobs); word-valued knobs get one
 * position per value, in the order the values first occur, and one series per value. Rendered headless (no display needed).
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
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        chart.getStyler().setMarkerSize(10);
        // Pad both axes so points on the extremes are not drawn on the frame.
        double[] ys = done.stream().mapToDouble(CandidateRow::score).toArray();
        double[] yr = padded(Arrays.stream(ys).min().orElseThrow(), Arrays.stream(ys).max().orElseThrow(), false);
        chart.getStyler().setYAxisMin(yr[0]).setYAxisMax(yr[1]);
        if (numeric) {
            chart.getStyler().setXAxisLogarithmic(log);
            double[] xs = x(done, knob, true, levels);
            double[] xr = padded(Arrays.stream(xs).min().orElseThrow(), Arrays.stream(xs).max().orElseThrow(),
                    log && Arrays.stream(xs).allMatch(v -> v > 0));
            chart.getStyler().setXAxisMin(xr[0]).setXAxisMax(xr[1]);
        } else {
            // Words: value i at x = i, one series (and colour) per value, the mapping in the axis title.
            chart.getStyler().setXAxisMin(-0.5).setXAxisMax(levels.size() - 0.5);
            StringBuilder map = new StringBuilder();
            for (int i = 0; i < levels.size(); i++) map.append(i == 0 ? "" : ", ").append(i).append(" = ").append(levels.get(i));
            chart.setXAxisTitle(knob.id() + " (" + map + ")");
        }
        List<CandidateRow> others = done.stream().filter(r -> r != best).toList();
        if (numeric) {
            if (!others.isEmpty()) {
                chart.addSeries("candidates", x(others, knob, true, levels), scores(others)).setMarker(SeriesMarkers.CIRCLE);
            }
        } else {
            for (Object level : levels) {
                List<CandidateRow> at = others.stream().filter(r -> level.equals(r.knobs().get(knob.id()))).toList();
                if (!at.isEmpty()) {
                    chart.addSeries(knob.id() + " = " + level, x(at, knob, false, levels), scores(at)).setMarker(SeriesMarkers.CIRCLE);
                }
            }
        }
        chart.addSeries("best (candidate " + best.number() + ")", x(List.of(best), knob, numeric, levels),
                new double[]{best.score()}).setMarker(SeriesMarkers.DIAMOND);
        AtomicFiles.write(png, p -> Files.write(p, BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG)));
    }

    /** [lo, hi] widened by 10% of the range on each side (multiplicatively for a log axis); a point gets ±10%. */
    static double[] padded(double lo, double hi, boolean log) {
        if (log) {
            double f = hi > lo ? Math.pow(hi / lo, 0.1) : 1.5;
            return new double[]{lo / f, hi * f};
        }
        double d = hi > lo ? 0.1 * (hi - lo) : Math.max(0.1 * Math.abs(lo), 0.01);
        return new double[]{lo - d, hi + d};
    }

    private static double[] scores(List<CandidateRow> rows) {
        return rows.stream().mapToDouble(CandidateRow::score).toArray();
    }

    private static double[] x(List<CandidateRow> rows, Knob knob, boolean numeric, List<Object> levels) {
        return rows.stream().mapToDouble(r -> {
            Object v = r.knobs().get(knob.id());
            return numeric ? ((Number) v).doubleValue() : levels.indexOf(v);
        }).toArray();
    }
}
