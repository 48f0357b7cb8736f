package dev.soi.bench;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.statistics.HistogramDataset;

/**
 * A PNG of the freshness benchmark's distribution: a histogram of 202→visible latencies, with the p50, p99 and
 * max marked. Headless JFreeChart.
 */
final class FreshnessChart {
    private FreshnessChart() {}

    static void write(Map<String, Object> results, Path png) throws IOException {
        @SuppressWarnings("unchecked")
        List<Number> latencies = (List<Number>) results.get("latencies_ms");
        double[] seconds = latencies.stream().mapToDouble(n -> n.doubleValue() / 1000.0).toArray();
        HistogramDataset data = new HistogramDataset();
        double max = seconds.length == 0 ? 1 : seconds[seconds.length - 1];
        if (seconds.length > 0) {
            data.addSeries("submissions", seconds, Math.max(10, Math.min(60, seconds.length / 10)), 0, Math.ceil(max));
        }
        String title = "Freshness at SOI_SCHEDULE=" + trim(results.get("schedule_s")) + "s: 202 to visible in GET, "
                + seconds.length + " submissions";
        JFreeChart chart = ChartFactory.createHistogram(title, "seconds from 202 to visible", "submissions", data,
                PlotOrientation.VERTICAL, false, false, false);
        XYPlot plot = chart.getXYPlot();
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        plot.getRenderer().setSeriesPaint(0, new Color(70, 110, 170));
        mark(plot, "p50 " + results.get("p50_s") + " s", ((Number) results.get("p50_s")).doubleValue(), new Color(0, 140, 0));
        mark(plot, "p99 " + results.get("p99_s") + " s", ((Number) results.get("p99_s")).doubleValue(), new Color(200, 120, 0));
        mark(plot, "max " + results.get("max_s") + " s", ((Number) results.get("max_s")).doubleValue(), new Color(180, 0, 0));
        Files.createDirectories(png.toAbsolutePath().getParent());
        ChartUtils.saveChartAsPNG(png.toFile(), chart, 900, 480);
    }

    private static void mark(XYPlot plot, String label, double x, Color color) {
        ValueMarker marker = new ValueMarker(x, color, new BasicStroke(1.5f));
        marker.setLabel(label);
        marker.setLabelPaint(color);
        marker.setLabelAnchor(RectangleAnchor.TOP_LEFT);
        marker.setLabelTextAnchor(TextAnchor.TOP_RIGHT);
        plot.addDomainMarker(marker);
    }

    private static String trim(Object number) {
        double value = ((Number) number).doubleValue();
        return value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value);
    }
}
