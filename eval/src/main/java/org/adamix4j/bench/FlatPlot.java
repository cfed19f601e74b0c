package org.adamix4j.bench;

import org.adamix4j.onnx.AtomicFiles;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;

import java.nio.file.Path;
import java.util.List;

/** The memory-flatness curve as a PNG: resident set against training step, one line per runtime. */
final class FlatPlot {
    private FlatPlot() {
    }

    /**
     * Writes {@code target} (PNG). Returns null, or why no picture could be drawn (a machine without
     * fonts for AWT): the CSV and the Markdown table carry the same numbers.
     */
    static String write(PeerBench.Flatness f, String title, Path target) {
        try {
            System.setProperty("java.awt.headless", "true");
            XYChart chart = new XYChartBuilder().width(900).height(500).title(title)
                    .xAxisTitle("training step").yAxisTitle("resident set (MB)").build();
            add(chart, "AdaMix4j", f.adamix4j());
            add(chart, "PyTorch", f.pytorch());
            chart.getStyler().setMarkerSize(3);
            AtomicFiles.write(target, tmp -> {
                try (var out = java.nio.file.Files.newOutputStream(tmp)) {
                    BitmapEncoder.saveBitmap(chart, out, BitmapEncoder.BitmapFormat.PNG);
                }
            });
            return null;
        } catch (RuntimeException | Error e) {
            return e.toString();
        }
    }

    private static void add(XYChart chart, String name, List<double[]> series) {
        if (series.isEmpty()) return;
        double[] x = series.stream().mapToDouble(p -> p[0]).toArray();
        double[] y = series.stream().mapToDouble(p -> p[1]).toArray();
        chart.addSeries(name, x, y);
    }
}
