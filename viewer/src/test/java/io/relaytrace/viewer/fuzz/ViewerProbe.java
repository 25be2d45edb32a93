package io.relaytrace.viewer.fuzz;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.relaytrace.viewer.Main;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs one viewer command in this JVM on a hostile trace and says what was wrong with how it
 * behaved, if anything: an exception that escaped {@link Main#run}, an exit status outside the
 * documented set (0 and 2; {@code check} also 1; 3 is an I/O error, which a readable file is not),
 * a stderr line that is not one of the viewer's problem reports, more than {@link #ALLOCATION_LIMIT}
 * bytes allocated (what a length field taken on trust would cause), and for {@code summary --json}
 * a negative count.
 * <p>
 * Assumption: commands run on the calling thread, so its allocation counter sees all they allocate.
 */
final class ViewerProbe
{
    /**
     * The inputs are at most a few hundred KiB; reading one allocates a few MiB (1 MiB scan windows,
     * 64 KiB per buffer). 64 MiB is ten times what any command allocated on the intact seeds, and
     * a hundredth of what a length field of 2^31 would make a reader allocate.
     */
    static final long ALLOCATION_LIMIT = 64L << 20;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final com.sun.management.ThreadMXBean THREADS =
        (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
    private static final OutputStream DISCARD = OutputStream.nullOutputStream();

    private ViewerProbe()
    {
    }

    /**
     * @param args the command line; {@code args[0]} is the command.
     * @return what went wrong, empty if the viewer behaved.
     */
    static List<String> run(final String... args)
    {
        final List<String> wrong = new ArrayList<>();
        final boolean json = List.of(args).contains("--json");
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final ByteArrayOutputStream err = new ByteArrayOutputStream();
        final int status;
        final long before = THREADS.getCurrentThreadAllocatedBytes();
        try
        {
            status = Main.run(args, new PrintStream(json ? out : DISCARD, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        }
        catch (final Throwable t)
        {
            wrong.add("threw " + t);
            return wrong;
        }
        final long allocated = THREADS.getCurrentThreadAllocatedBytes() - before;
        if (allocated > ALLOCATION_LIMIT)
        {
            wrong.add("allocated " + allocated + " bytes > " + ALLOCATION_LIMIT);
        }
        final boolean check = "check".equals(args[0]);
        if (!(status == 0 || status == 2 || status == 1 && check))
        {
            wrong.add("exit status " + status);
        }
        for (final String line : err.toString(StandardCharsets.UTF_8).split("\n"))
        {
            if (!line.isEmpty() && !line.startsWith("warning: ") && !line.startsWith("relaytrace-viewer " + args[0] + ": ") ||
                line.contains(" failed: "))
            {
                wrong.add("stderr: " + line);
            }
        }
        if (json && status == 0)
        {
            checkCounts(out.toString(StandardCharsets.UTF_8), wrong);
        }
        return wrong;
    }

    private static void checkCounts(final String output, final List<String> wrong)
    {
        try
        {
            final JsonNode summary = JSON.readTree(output);
            for (final String key : List.of("events", "lost", "dropped", "threads", "virtualThreads"))
            {
                if (!summary.path(key).canConvertToLong() || summary.path(key).asLong() < 0)
                {
                    wrong.add("summary " + key + "=" + summary.path(key));
                }
            }
            for (final JsonNode method : summary.path("methods"))
            {
                if (method.path("calls").asLong() < 0 || method.path("exceptions").asLong() < 0 ||
                    method.path("exceptions").asLong() > method.path("calls").asLong())
                {
                    wrong.add("summary method " + method);
                }
            }
        }
        catch (final Exception ex)
        {
            wrong.add("summary --json is not JSON: " + ex.getMessage());
        }
    }
}
