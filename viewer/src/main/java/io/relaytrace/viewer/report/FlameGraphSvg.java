package io.relaytrace.viewer.report;

import io.relaytrace.viewer.analysis.CallTree;
import io.relaytrace.viewer.read.Definitions;

import java.util.Locale;

import static io.relaytrace.viewer.analysis.Durations.format;

/**
 * A flame graph of a call tree as inline SVG, drawn top-down (icicle): the outermost calls on the
 * top row, each call path a {@code <g class="frame">} as wide as its share of the total time,
 * callees below it, most total time first. A frame's {@code <title>} (its tooltip) gives the
 * method, calls, exceptions, total and self time.
 * <p>
 * Guarantees: frames narrower than {@link #MIN_WIDTH} pixels are left out (and counted, see
 * {@link #hidden()}) so that the SVG stays small whatever the tree; names are HTML-escaped.
 */
final class FlameGraphSvg
{
    static final double WIDTH = 1200;
    static final int ROW = 18;
    static final double MIN_WIDTH = 0.5;
    private static final double CHAR_WIDTH = 7;

    private final Definitions definitions;
    private final StringBuilder frames = new StringBuilder(64 * 1024);
    private int shown;
    private int hidden;
    private int depth;

    FlameGraphSvg(final Definitions definitions)
    {
        this.definitions = definitions;
    }

    /**
     * @param root a root (method id 0) whose children are the outermost calls.
     * @return the {@code <svg>} element.
     */
    String render(final CallTree.Node root)
    {
        long total = 0;
        for (final CallTree.Node child : root.children())
        {
            total += child.totalNanos();
        }
        double x = 0;
        for (final CallTree.Node child : root.children())
        {
            x += frame(child, x, 0, total <= 0 ? 0 : WIDTH / total, WIDTH - x);
        }
        final int height = Math.max(1, depth) * ROW;
        return String.format(Locale.ROOT,
            "<svg class=\"flamegraph\" xmlns=\"http://www.w3.org/2000/svg\" width=\"%.0f\" height=\"%d\" viewBox=\"0 0 %.0f %d\">%n",
            WIDTH, height, WIDTH, height) + frames + "</svg>\n";
    }

    /** @return the width drawn for {@code node}. */
    private double frame(final CallTree.Node node, final double x, final int level, final double scale, final double room)
    {
        final double width = Math.min(room, node.totalNanos() * scale);
        if (width < MIN_WIDTH)
        {
            hidden += 1;
            return width;
        }
        shown++;
        depth = Math.max(depth, level + 1);
        final String name = definitions.methodName(node.methodId());
        final StringBuilder out = frames;
        out.append("<g class=\"frame\"><title>");
        Html.escape(out, name).append(" \u2014 ").append(node.calls()).append(" calls, ").append(node.exceptions())
            .append(" exceptions, ").append(node.unclosed()).append(" unclosed, total ").append(format(node.totalNanos()))
            .append(", self ").append(format(node.selfNanos())).append("</title>");
        out.append(String.format(Locale.ROOT,
            "<rect x=\"%.2f\" y=\"%d\" width=\"%.2f\" height=\"%d\" fill=\"%s\"/>",
            x, level * ROW, width, ROW - 1, color(name)));
        final int chars = (int)((width - 6) / CHAR_WIDTH);
        if (chars >= 3)
        {
            out.append(String.format(Locale.ROOT, "<text x=\"%.2f\" y=\"%d\">", x + 3, level * ROW + ROW - 5));
            Html.escape(out, chars >= name.length() ? name : name.substring(0, chars - 2) + "..").append("</text>");
        }
        out.append("</g>\n");
        double childX = x;
        for (final CallTree.Node child : node.children())
        {
            childX += frame(child, childX, level + 1, scale, x + width - childX);
        }
        return width;
    }

    /** Warm colours, stable per name, as flame graphs usually have. */
    private static String color(final String name)
    {
        final int hash = name.hashCode();
        final int red = 205 + Math.floorMod(hash, 50);
        final int green = 80 + Math.floorMod(hash >>> 8, 150);
        final int blue = Math.floorMod(hash >>> 16, 60);
        return "rgb(" + red + "," + green + "," + blue + ")";
    }

    /** @return frames drawn. */
    int shown()
    {
        return shown;
    }

    /** @return frames too narrow to draw (their callees are not counted). */
    int hidden()
    {
        return hidden;
    }
}
