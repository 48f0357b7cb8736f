package dev.soi.bench;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.DecimalFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.TextTitle;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * The latest benchmark's charts, drawn with JFreeChart from its results, one point per history length: rebuild
 * time against history, and the unit and package lookups against history, table vs view, on DuckDB and on Trino.
 * Each chart names the command that produced it and when.
 */
final class LatestCharts {
    static final String REBUILD = "latest-rebuild.png";
    static final String UNIT_LOOKUP = "latest-lookup-unit.png";
    static final String PACKAGE_LOOKUP = "latest-lookup-package.png";
    private static final Color DUCKDB = new Color(40, 110, 200);
    private static final Color TRINO = new Color(200, 60, 40);

    private LatestCharts() {}

    /** Writes the three PNGs into {@code folder}; returns their paths. */
    static List<Path> write(Map<String, Object> results, Path folder, String command, String date) throws IOException {
        System.setProperty("java.awt.headless", "true");
        Files.createDirectories(folder);
        List<Map<String, Object>> sizes = sizes(results);
        String subtitle = command + " — " + date;
        List<Path> written = new ArrayList<>();
        written.add(save(chart("Latest table rebuild vs PIT history (5-minute runs, one file per run per partition)", "seconds",
                false, subtitle, sizes, List.of(
                        new Line("DuckDB full", "duckdb_rebuild_full_s", DUCKDB, false),
                        new Line("DuckDB incremental (last hour)", "duckdb_rebuild_incremental_s", DUCKDB, true),
                        new Line("Trino full", "trino_rebuild_full_s", TRINO, false),
                        new Line("Trino incremental (last hour)", "trino_rebuild_incremental_s", TRINO, true))), folder.resolve(REBUILD)));
        written.add(save(lookupChart("Unit lookup inside the engine: latest table vs window view", "unit", subtitle, sizes),
                folder.resolve(UNIT_LOOKUP)));
        written.add(save(lookupChart("Package lookup inside the engine: latest table vs window view", "package", subtitle, sizes),
                folder.resolve(PACKAGE_LOOKUP)));
        return written;
    }

    /** One series: the value under {@code key} at each history length; dashed when {@code dashed}. */
    private record Line(String label, String key, Color color, boolean dashed) {}

    private static JFreeChart lookupChart(String title, String lookup, String subtitle, List<Map<String, Object>> sizes) {
        return chart(title, "ms (log scale)", true, subtitle, sizes, List.of(
                new Line("DuckDB view", "duckdb_" + lookup + "_view_engine_ms", DUCKDB, true),
                new Line("DuckDB table", "duckdb_" + lookup + "_table_engine_ms", DUCKDB, false),
                new Line("Trino view", "trino_" + lookup + "_view_engine_ms", TRINO, true),
                new Line("Trino table", "trino_" + lookup + "_table_engine_ms", TRINO, false)));
    }

    private static JFreeChart chart(String title, String yLabel, boolean logY, String subtitle, List<Map<String, Object>> sizes,
                                    List<Line> lines) {
        XYSeriesCollection data = new XYSeriesCollection();
        List<Line> drawn = new ArrayList<>();
        for (Line line : lines) {
            XYSeries series = new XYSeries(line.label());
            for (Map<String, Object> size : sizes) {
                if (size.get(line.key()) instanceof Number value) {
                    series.add(((Number) size.get("days")).doubleValue(), value.doubleValue());
                }
            }
            if (!series.isEmpty()) {
                data.addSeries(series);
                drawn.add(line);
            }
        }
        JFreeChart chart = ChartFactory.createXYLineChart(title, "days of history", yLabel, data, PlotOrientation.VERTICAL,
                true, false, false);
        chart.addSubtitle(new TextTitle(subtitle));
        chart.setBackgroundPaint(Color.WHITE);
        XYPlot plot = chart.getXYPlot();
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        NumberAxis x = (NumberAxis) plot.getDomainAxis();
        x.setAutoRangeIncludesZero(true);
        x.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        if (logY) {
            // one tick per decade, labelled 10, 100, 1,000 rather than as powers
            LogAxis y = new LogAxis(yLabel);
            y.setBase(10);
            y.setSmallestValue(0.1);
            y.setTickUnit(new NumberTickUnit(1));
            y.setNumberFormatOverride(new DecimalFormat("#,##0.#"));
            plot.setRangeAxis(y);
        }
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, true);
        for (int i = 0; i < drawn.size(); i++) {
            Line line = drawn.get(i);
            renderer.setSeriesPaint(i, line.color());
            renderer.setSeriesStroke(i, line.dashed()
                    ? new BasicStroke(2f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND, 1f, new float[] {6f, 4f}, 0f)
                    : new BasicStroke(2f));
        }
        plot.setRenderer(renderer);
        return chart;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> sizes(Map<String, Object> results) {
        List<Map<String, Object>> sizes = new ArrayList<>();
        for (Object value : results.values()) {
            if (value instanceof Map<?, ?> size && size.containsKey("days")) {
                sizes.add((Map<String, Object>) size);
            }
        }
        sizes.sort((a, b) -> Integer.compare(((Number) a.get("days")).intValue(), ((Number) b.get("days")).intValue()));
        return sizes;
    }

    private static Path save(JFreeChart chart, Path file) throws IOException {
        ChartUtils.saveChartAsPNG(file.toFile(), chart, 900, 520);
        return file;
    }
}
