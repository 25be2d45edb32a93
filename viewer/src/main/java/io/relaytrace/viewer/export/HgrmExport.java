package io.relaytrace.viewer.export;

import io.relaytrace.viewer.analysis.Glob;
import io.relaytrace.viewer.analysis.MethodStats;
import io.relaytrace.viewer.analysis.TraceSummary;
import io.relaytrace.viewer.read.Trace;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;

/**
 * The HdrHistogram percentile distribution ({@code .hgrm}, values in ns) of each completed
 * method's call durations, most total time first, each after a {@code # method: NAME} line.
 */
public final class HgrmExport implements TextExport
{
    private final Glob glob;

    /** @param glob only methods matching it; null for all. */
    public HgrmExport(final Glob glob)
    {
        this.glob = glob;
    }

    @Override
    public void write(final Trace trace, final PrintWriter out) throws IOException
    {
        for (final MethodStats stats : TraceSummary.of(trace).methods())
        {
            if (stats.calls() == 0 || (glob != null && !glob.matches(stats.name())))
            {
                continue;
            }
            out.println("# method: " + stats.name() + " (values in ns)");
            final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (PrintStream print = new PrintStream(bytes, true, StandardCharsets.UTF_8))
            {
                stats.histogram().outputPercentileDistribution(print, 1.0);
            }
            out.print(bytes.toString(StandardCharsets.UTF_8));
            out.println();
        }
    }
}
