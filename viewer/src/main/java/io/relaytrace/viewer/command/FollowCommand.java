package io.relaytrace.viewer.command;

import io.relaytrace.viewer.ExitCodes;
import io.relaytrace.viewer.analysis.MethodSummary;
import io.relaytrace.viewer.analysis.TraceSummary;
import io.relaytrace.viewer.read.CallStacks;
import io.relaytrace.viewer.read.Problem;
import io.relaytrace.viewer.read.TraceException;
import io.relaytrace.viewer.read.TraceFollower;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code follow TRACE_DIR [--interval 1s] [--json]}: the summary of a trace while it is being
 * written, updated every interval from the blocks appended since the last one
 * ({@link TraceFollower}); it stops after the update that follows the clean-close marker's
 * appearance (exit 0), or at Ctrl-C.
 */
@Command(name = "follow", mixinStandardHelpOptions = true,
    description = {"Live summary of a trace being written: reads the blocks appended since the last update,",
        "prints the summary every interval, stops once the trace is closed cleanly (or at Ctrl-C)."})
final class FollowCommand implements Callable<Integer>
{
    private static final int MAX_WARNINGS = 20;
    private static final long MIN_INTERVAL_MILLIS = 10;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "TRACE_DIR", description = "The trace directory (holding trace.header).")
    Path traceDir;

    @Option(names = "--interval", paramLabel = "DURATION", defaultValue = "1s", converter = Interval.class,
        description = "Time between updates: 500ms, 1s (default), 2m; a bare number is seconds.")
    long intervalMillis;

    @Option(names = "--json", description = "Each update as one line holding the JSON object of 'summary --json'.")
    boolean json;

    /** Parses {@code --interval}. */
    static final class Interval implements ITypeConverter<Long>
    {
        private static final Pattern DURATION = Pattern.compile("(\\d{1,9})(ms|s|m)?");

        @Override
        public Long convert(final String value)
        {
            final Matcher m = DURATION.matcher(value.trim().toLowerCase(Locale.ROOT));
            if (!m.matches())
            {
                throw new TypeConversionException("'" + value + "' is not a duration: give e.g. 500ms, 1s or 2m");
            }
            final long amount = Long.parseLong(m.group(1));
            final String unit = m.group(2) == null ? "s" : m.group(2);
            final long millis = unit.equals("ms") ? amount : unit.equals("s") ? amount * 1000 : amount * 60_000;
            if (millis < MIN_INTERVAL_MILLIS)
            {
                throw new TypeConversionException("'" + value + "' is too short: at least " + MIN_INTERVAL_MILLIS + "ms");
            }
            return millis;
        }
    }

    @Override
    public Integer call()
    {
        final PrintWriter out = spec.commandLine().getOut();
        final PrintWriter err = spec.commandLine().getErr();
        final long started = System.nanoTime();
        try (TraceFollower follower = TraceFollower.open(traceDir))
        {
            final MethodSummary methods = new MethodSummary(follower.definitions());
            final CallStacks stacks = new CallStacks(methods);
            int warned = 0;
            long nextUpdate = System.nanoTime();
            while (true)
            {
                follower.poll(stacks);
                warned = warn(follower.problems(), warned, err);
                final boolean finished = follower.finished();
                if (finished)
                {
                    stacks.finish();
                }
                if (finished || System.nanoTime() - nextUpdate >= 0)
                {
                    // Events the recorder failed to record are counted only in the close marker.
                    print(TraceSummary.of(stacks, methods, follower.definitions(), follower.files(), follower.failed(), !finished),
                        finished,
                        started, out);
                    nextUpdate = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(intervalMillis);
                }
                if (finished)
                {
                    return ExitCodes.OK;
                }
                final long left = TimeUnit.NANOSECONDS.toMillis(nextUpdate - System.nanoTime());
                if (!follower.behind() && left > 0)
                {
                    Thread.sleep(left);
                }
            }
        }
        catch (final TraceException ex)
        {
            err.println("relaytrace-viewer follow: " + ex.getMessage());
            return ExitCodes.USAGE;
        }
        catch (final IOException ex)
        {
            err.println("relaytrace-viewer follow: cannot read " + traceDir + ": " + ex);
            return ExitCodes.IO_ERROR;
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            return ExitCodes.OK;
        }
    }

    private void print(final TraceSummary summary, final boolean finished, final long started, final PrintWriter out)
    {
        if (json)
        {
            out.println(summary.toJson());
        }
        else
        {
            SummaryCommand.print(summary, String.format(Locale.ROOT, "follow %s at +%.1fs%s", traceDir,
                (System.nanoTime() - started) / 1e9, finished ? ": closed cleanly, final" : ""), out);
            out.println();
        }
        out.flush();
    }

    /** Prints the problems found since the last update, the first {@link #MAX_WARNINGS} of all. */
    private static int warn(final List<Problem> problems, final int warned, final PrintWriter err)
    {
        for (int i = warned; i < problems.size(); i++)
        {
            if (i < MAX_WARNINGS)
            {
                err.println("warning: " + problems.get(i));
            }
            else if (i == MAX_WARNINGS)
            {
                err.println("warning: more problems; 'check' lists them all once the trace is closed");
            }
        }
        return problems.size();
    }
}
