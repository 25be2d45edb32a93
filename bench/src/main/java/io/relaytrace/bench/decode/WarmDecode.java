package io.relaytrace.bench.decode;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The viewer's {@code summary} decode rate once the JIT has compiled it: each viewer jar given is
 * loaded in its own class loader in this one JVM, and {@code summary --json TRACE} runs through
 * its {@code Main.run}, the jars taking turns, {@code runs} rounds after {@code warmups}. Each run
 * is timed by the CPU time of the thread that runs it (JIT compiler threads and GC excluded), so
 * other load on the machine matters less than for a whole process; run it pinned to one CPU
 * ({@code taskset -c 1}, {@code -XX:ActiveProcessorCount=1}) for the one-core figure.
 * <p>
 * Usage: {@code java io.relaytrace.bench.decode.WarmDecode [--runs N] [--warmups N] TRACE_DIR VIEWER_JAR...}
 * <p>
 * Prints one Markdown table row per jar: events, median and best thread CPU ms, median wall ms,
 * and events per CPU second at the median.
 */
public final class WarmDecode
{
    private static final Pattern EVENTS = Pattern.compile("^\\{\"events\":(\\d+),");

    private WarmDecode()
    {
    }

    public static void main(final String[] args) throws Exception
    {
        int runs = 7;
        int warmups = 3;
        Path trace = null;
        final List<Path> jars = new ArrayList<>();
        for (int i = 0; i < args.length; i++)
        {
            switch (args[i])
            {
                case "--runs" -> runs = count(args, ++i, "--runs");
                case "--warmups" -> warmups = count(args, ++i, "--warmups");
                default ->
                {
                    if (trace == null)
                    {
                        trace = Path.of(args[i]);
                    }
                    else
                    {
                        jars.add(Path.of(args[i]));
                    }
                }
            }
        }
        if (trace == null || jars.isEmpty() || !Files.isDirectory(trace))
        {
            System.err.println("warm-decode: give a trace directory and at least one viewer jar; got trace=" + trace +
                " jars=" + jars + "; usage: [--runs N] [--warmups N] TRACE_DIR VIEWER_JAR...");
            System.exit(2);
        }
        final Method[] mains = new Method[jars.size()];
        for (int j = 0; j < jars.size(); j++)
        {
            if (!Files.isRegularFile(jars.get(j)))
            {
                System.err.println("warm-decode: viewer jar " + jars.get(j) + " is missing");
                System.exit(2);
            }
            final URLClassLoader loader = new URLClassLoader(new URL[] {jars.get(j).toUri().toURL()},
                ClassLoader.getPlatformClassLoader());
            mains[j] = loader.loadClass("io.relaytrace.viewer.Main").getMethod("run", String[].class, PrintStream.class,
                PrintStream.class);
        }
        final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        final long[][] cpu = new long[jars.size()][runs];
        final long[][] wall = new long[jars.size()][runs];
        final long[] events = new long[jars.size()];
        final String[] command = {"summary", "--json", trace.toString()};
        final PrintStream discard = new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8);
        for (int round = -warmups; round < runs; round++)
        {
            for (int j = 0; j < jars.size(); j++)
            {
                final ByteArrayOutputStream out = new ByteArrayOutputStream();
                final long cpuStart = threads.getCurrentThreadCpuTime();
                final long wallStart = System.nanoTime();
                final int status = (Integer)mains[j].invoke(null, command, new PrintStream(out, true, StandardCharsets.UTF_8),
                    discard);
                final long wallNanos = System.nanoTime() - wallStart;
                final long cpuNanos = threads.getCurrentThreadCpuTime() - cpuStart;
                final Matcher m = EVENTS.matcher(out.toString(StandardCharsets.UTF_8));
                if (status != 0 || !m.find())
                {
                    System.err.println("warm-decode: summary with " + jars.get(j) + " failed: status=" + status);
                    System.exit(1);
                }
                events[j] = Long.parseLong(m.group(1));
                if (round >= 0)
                {
                    cpu[j][round] = cpuNanos;
                    wall[j][round] = wallNanos;
                }
            }
        }
        for (int j = 0; j < jars.size(); j++)
        {
            final long medianCpu = median(cpu[j]);
            System.out.printf("| %s | %s | %,d | %,d | %,d | %,d | %.1f M |%n", trace.getFileName(), jars.get(j).getFileName(),
                events[j], medianCpu / 1_000_000, Arrays.stream(cpu[j]).min().orElse(0) / 1_000_000, median(wall[j]) / 1_000_000,
                events[j] * 1e3 / medianCpu);
        }
    }

    private static int count(final String[] args, final int at, final String flag)
    {
        if (at >= args.length || !args[at].matches("[1-9][0-9]{0,5}"))
        {
            System.err.println("warm-decode: " + flag + " takes a whole number from 1 to 999999, got " +
                (at < args.length ? "'" + args[at] + "'" : "nothing"));
            System.exit(2);
        }
        return Integer.parseInt(args[at]);
    }

    private static long median(final long[] values)
    {
        final long[] sorted = values.clone();
        Arrays.sort(sorted);
        final int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }
}
