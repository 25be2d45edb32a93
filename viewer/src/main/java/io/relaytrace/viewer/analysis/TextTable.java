package io.relaytrace.viewer.analysis;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * A plain-text table: columns sized to their widest cell, the first column left-aligned (names),
 * or columns flagged as text, the others right-aligned (numbers).
 * <p>
 * Example: {@code new TextTable("method", "calls").leftAligned(0).row("a.B.c()", "3").print(out);}
 */
public final class TextTable
{
    private final List<String[]> rows = new ArrayList<>();
    private final int columns;
    private final boolean[] left;

    public TextTable(final String... header)
    {
        this.columns = header.length;
        this.left = new boolean[columns];
        rows.add(header);
    }

    /** Marks columns as text, left-aligned. */
    public TextTable leftAligned(final int... indexes)
    {
        for (final int i : indexes)
        {
            left[i] = true;
        }
        return this;
    }

    public TextTable row(final String... cells)
    {
        if (cells.length != columns)
        {
            throw new IllegalArgumentException("cells=" + cells.length + " but columns=" + columns);
        }
        rows.add(cells);
        return this;
    }

    public void print(final PrintWriter out)
    {
        final int[] widths = new int[columns];
        for (final String[] row : rows)
        {
            for (int c = 0; c < columns; c++)
            {
                widths[c] = Math.max(widths[c], row[c].length());
            }
        }
        final StringBuilder line = new StringBuilder();
        for (final String[] row : rows)
        {
            line.setLength(0);
            for (int c = 0; c < columns; c++)
            {
                if (c > 0)
                {
                    line.append("  ");
                }
                final int pad = widths[c] - row[c].length();
                if (!left[c])
                {
                    line.append(" ".repeat(pad));
                }
                line.append(row[c]);
                if (left[c] && c < columns - 1)
                {
                    line.append(" ".repeat(pad));
                }
            }
            out.println(line.toString().stripTrailing());
        }
    }
}
