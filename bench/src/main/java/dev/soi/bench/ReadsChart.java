package dev.soi.bench;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.DecimalFormat;
import java.util.Map;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.chart.title.TextTitle;
import org.jfree.data.category.DefaultCategoryDataset;

/**
 * The reads benchmark's chart: GET p50 and p99 (log scale) at each number of clients, the query each GET made before
 * against the read model, in AWS mode and locally. Named by the command and the start of the run.
 */
final class ReadsChart {
    private ReadsChart() {}

    static Path write(Map<String, Object> results, Path png, String subtitle) throws IOException {
        System.setProperty("java.awt.headless", "true");
        DefaultCategoryDataset data = new DefaultCategoryDataset();
        String[][] series = {
                {"aws", "query", "AWS mode: Athena query"}, {"aws", "read_model", "AWS mode: read model (S3 GET)"},
                {"local", "query", "local: DuckDB query"}, {"local", "read_model", "local: read model (file)"}};
        for (String statistic : new String[] {"p50_ms", "p99_ms"}) {
            for (String[] s : series) {
                if (!(results.get(s[0]) instanceof Map<?, ?> mode)) {
                    continue;
                }
                for (int clients : ReadsBenchmark.CLIENTS) {
                    if (mode.get("clients_" + clients) instanceof Map<?, ?> level && level.get(s[1]) instanceof Map<?, ?> path) {
                        data.addValue(((Number) path.get(statistic)).doubleValue(), s[2] + " " + statistic.substring(0, 3),
                                clients + (clients == 1 ? " client" : " clients"));
                    }
                }
            }
        }
        JFreeChart chart = ChartFactory.createBarChart("API GETs: the query they made before vs the read model ("
                        + results.get("packages") + " packages × " + results.get("ids_per_package") + " ids, one unit)",
                "concurrent clients", "ms (log scale)", data, PlotOrientation.VERTICAL, true, false, false);
        chart.addSubtitle(new TextTitle(subtitle));
        chart.setBackgroundPaint(Color.WHITE);
        CategoryPlot plot = chart.getCategoryPlot();
        plot.setBackgroundPaint(Color.WHITE);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        LogAxis y = new LogAxis("ms (log scale)");
        y.setBase(10);
        y.setSmallestValue(0.1);
        y.setTickUnit(new NumberTickUnit(1));
        y.setNumberFormatOverride(new DecimalFormat("#,##0.#"));
        plot.setRangeAxis(y);
        BarRenderer renderer = (BarRenderer) plot.getRenderer();
        renderer.setBarPainter(new StandardBarPainter());
        renderer.setShadowVisible(false);
        for (int i = 0; i < data.getRowCount(); i++) {
            String row = (String) data.getRowKey(i);
            // Query red, read model blue; AWS mode dark, local light; p99 a lighter shade of its path's p50.
            Color color = row.contains("query") ? (row.startsWith("AWS") ? new Color(200, 60, 40) : new Color(230, 150, 130))
                    : (row.startsWith("AWS") ? new Color(40, 110, 200) : new Color(140, 180, 230));
            renderer.setSeriesPaint(i, row.endsWith("p99") ? color.brighter() : color);
        }
        Files.createDirectories(png.toAbsolutePath().getParent());
        ChartUtils.saveChartAsPNG(png.toFile(), chart, 1000, 560);
        return png;
    }
}
