package dev.soi.bench;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;

/**
 * A PNG of rebuild time against history size from the latest benchmark's results: the full rebuild grows with
 * the PIT table, the incremental one should stay flat. Plain Java2D, headless; x is PIT rows (log scale).
 */
final class RebuildChart {
    private static final int WIDTH = 720;
    private static final int HEIGHT = 420;
    private static final int LEFT = 70;
    private static final int RIGHT = 170;
    private static final int TOP = 40;
    private static final int BOTTOM = 60;

    private RebuildChart() {}

    record Point(long pitRows, double fullSeconds, double incrementalSeconds) {}

    @SuppressWarnings("unchecked")
    static List<Point> points(Map<String, Object> latestResults) {
        List<Point> points = new ArrayList<>();
        for (Object value : latestResults.values()) {
            Map<String, Object> one = (Map<String, Object>) value;
            points.add(new Point(((Number) one.get("pit_rows")).longValue(), ((Number) one.get("rebuild_full_s")).doubleValue(),
                    ((Number) one.get("rebuild_incremental_s")).doubleValue()));
        }
        points.sort((a, b) -> Long.compare(a.pitRows(), b.pitRows()));
        return points;
    }

    static void write(List<Point> points, Path file) throws IOException {
        System.setProperty("java.awt.headless", "true");
        BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, WIDTH, HEIGHT);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        g.setColor(Color.BLACK);
        g.drawString("Latest rebuild time vs. PIT history (same latest size)", LEFT, 20);

        double maxSeconds = points.stream().mapToDouble(p -> Math.max(p.fullSeconds(), p.incrementalSeconds())).max().orElse(1) * 1.1;
        double minLog = Math.log10(points.get(0).pitRows()) - 0.2;
        double maxLog = Math.log10(points.get(points.size() - 1).pitRows()) + 0.2;
        int plotW = WIDTH - LEFT - RIGHT;
        int plotH = HEIGHT - TOP - BOTTOM;
        g.drawLine(LEFT, TOP + plotH, LEFT + plotW, TOP + plotH);
        g.drawLine(LEFT, TOP, LEFT, TOP + plotH);
        for (int i = 0; i <= 4; i++) {
            double s = maxSeconds * i / 4;
            int y = TOP + plotH - (int) (plotH * i / 4.0);
            g.setColor(new Color(225, 225, 225));
            g.drawLine(LEFT + 1, y, LEFT + plotW, y);
            g.setColor(Color.BLACK);
            g.drawString(String.format("%.1f s", s), 10, y + 4);
        }
        for (Point p : points) {
            int x = x(p.pitRows(), minLog, maxLog, plotW);
            g.drawString(label(p.pitRows()), x - 12, TOP + plotH + 18);
        }
        g.drawString("PIT rows (log scale)", LEFT + plotW / 2 - 50, HEIGHT - 18);
        series(g, points, true, new Color(200, 60, 40), minLog, maxLog, maxSeconds, plotW, plotH);
        series(g, points, false, new Color(40, 110, 200), minLog, maxLog, maxSeconds, plotW, plotH);
        legend(g, new Color(200, 60, 40), "full rebuild", 0);
        legend(g, new Color(40, 110, 200), "incremental", 1);
        g.dispose();
        ImageIO.write(image, "png", file.toFile());
    }

    private static void series(Graphics2D g, List<Point> points, boolean full, Color color, double minLog, double maxLog,
                               double maxSeconds, int plotW, int plotH) {
        g.setColor(color);
        g.setStroke(new BasicStroke(2f));
        int prevX = -1;
        int prevY = -1;
        for (Point p : points) {
            double seconds = full ? p.fullSeconds() : p.incrementalSeconds();
            int x = x(p.pitRows(), minLog, maxLog, plotW);
            int y = TOP + plotH - (int) (plotH * seconds / maxSeconds);
            g.fillOval(x - 4, y - 4, 8, 8);
            g.drawString(String.format("%.1f s", seconds), x + 6, y - 6);
            if (prevX >= 0) {
                g.drawLine(prevX, prevY, x, y);
            }
            prevX = x;
            prevY = y;
        }
        g.setStroke(new BasicStroke(1f));
    }

    private static void legend(Graphics2D g, Color color, String text, int row) {
        int x = WIDTH - RIGHT + 20;
        int y = TOP + 20 + row * 20;
        g.setColor(color);
        g.fillRect(x, y - 8, 14, 8);
        g.setColor(Color.BLACK);
        g.drawString(text, x + 20, y);
    }

    private static int x(long rows, double minLog, double maxLog, int plotW) {
        return LEFT + (int) (plotW * (Math.log10(rows) - minLog) / (maxLog - minLog));
    }

    private static String label(long rows) {
        return rows >= 1_000_000 ? (rows / 1_000_000) + "M" : rows >= 1_000 ? (rows / 1_000) + "k" : Long.toString(rows);
    }
}
