package io.relaytrace.bench.overhead;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The harness's flags, {@code --name value} each; every one optional.
 * <p>
 * The default sizes are the largest that let five rounds finish within 15 minutes on a 2-core
 * machine: JFR with stack traces costs about 20 us per call on {@code fib}'s deep stacks and
 * async-profiler 1-10 us per call, so the workloads' own defaults (50 million calls of {@code hot},
 * fib(32), 10,000 virtual threads) take about 45 minutes a round set; pass them as flags to run them.
 * <pre>
 * --workloads hot,fib,vt,mixed,baseline   --tracers none,relaytrace,jfr,jfr-nostack,async-profiler
 * --runs 5            rounds; each round runs every workload under every tracer (order rotated per round)
 * --hot-calls 5000000  --fib-n 25  --vt-threads 2000  --vt-calls 1000  --vt-yield 1024
 * --mixed-orders 2000  --mixed-items 5
 * --decode-runs 1     times each decoder runs on the last round's traces
 * --startup-runs 5    start-to-main runs with and without the agent (0: skip)
 * --agent PATH  --viewer PATH   (default agent/target/relaytrace-agent.jar, viewer/target/relaytrace-viewer.jar)
 * --work DIR          where traces go (default: a new directory under java.io.tmpdir, deleted at the end)
 * --timeout-s 600     per child JVM
 * </pre>
 */
record HarnessOptions(
    List<Workload> workloads,
    List<Tracer> tracers,
    int runs,
    int hotCalls,
    int fibN,
    int vtThreads,
    int vtCalls,
    int vtYieldEvery,
    int mixedOrders,
    int mixedItems,
    int decodeRuns,
    int startupRuns,
    Path agentJar,
    Path viewerJar,
    Path workDir,
    Duration childTimeout)
{
    static final String USAGE = "usage: overhead [--workloads hot,fib,vt,mixed,baseline] " +
        "[--tracers none,relaytrace,jfr,jfr-nostack,async-profiler] [--runs N] [--hot-calls N] [--fib-n N] " +
        "[--vt-threads N] [--vt-calls N] [--vt-yield N] [--mixed-orders N] [--mixed-items N] [--decode-runs N] " +
        "[--startup-runs N] [--agent JAR] [--viewer JAR] [--work DIR] [--timeout-s N]";

    /** @throws IllegalArgumentException with one line naming the bad flag and what is accepted. */
    static HarnessOptions parse(final String[] args)
    {
        List<Workload> workloads = List.of(Workload.values());
        List<Tracer> tracers = List.of(Tracer.values());
        int runs = 5;
        int hotCalls = 5_000_000;
        int fibN = 25;
        int vtThreads = 2_000;
        int vtCalls = 1_000;
        int vtYield = 1_024;
        int mixedOrders = 2_000;
        int mixedItems = 5;
        int decodeRuns = 1;
        int startupRuns = 5;
        Path agent = Path.of("agent/target/relaytrace-agent.jar");
        Path viewer = Path.of("viewer/target/relaytrace-viewer.jar");
        Path work = null;
        int timeoutSeconds = 600;
        for (int i = 0; i < args.length; i += 2)
        {
            final String flag = args[i];
            if (i + 1 >= args.length)
            {
                throw new IllegalArgumentException("flag " + flag + " has no value; " + USAGE);
            }
            final String value = args[i + 1];
            switch (flag)
            {
                case "--workloads" -> workloads = parseList(value, Workload::byId);
                case "--tracers" -> tracers = parseList(value, Tracer::byId);
                case "--runs" -> runs = positive(flag, value);
                case "--hot-calls" -> hotCalls = positive(flag, value);
                case "--fib-n" -> fibN = positive(flag, value);
                case "--vt-threads" -> vtThreads = positive(flag, value);
                case "--vt-calls" -> vtCalls = positive(flag, value);
                case "--vt-yield" -> vtYield = positive(flag, value);
                case "--mixed-orders" -> mixedOrders = positive(flag, value);
                case "--mixed-items" -> mixedItems = positive(flag, value);
                case "--decode-runs" -> decodeRuns = positive(flag, value);
                case "--startup-runs" -> startupRuns = nonNegative(flag, value);
                case "--agent" -> agent = Path.of(value);
                case "--viewer" -> viewer = Path.of(value);
                case "--work" -> work = Path.of(value);
                case "--timeout-s" -> timeoutSeconds = positive(flag, value);
                default -> throw new IllegalArgumentException("unknown flag " + flag + "; " + USAGE);
            }
        }
        if (!tracers.contains(Tracer.NONE))
        {
            throw new IllegalArgumentException("tracers=" + tracers + " lack none; accepted: a list with none, " +
                "the run every overhead is measured against");
        }
        if (fibN > 45)
        {
            throw new IllegalArgumentException("--fib-n " + fibN + " is too large; accepted: 1..45");
        }
        return new HarnessOptions(workloads, tracers, runs, hotCalls, fibN, vtThreads, vtCalls, vtYield, mixedOrders,
            mixedItems, decodeRuns, startupRuns, agent, viewer, work, Duration.ofSeconds(timeoutSeconds));
    }

    private interface Parser<T>
    {
        T parse(String id);
    }

    private static <T> List<T> parseList(final String value, final Parser<T> parser)
    {
        final List<T> list = new ArrayList<>();
        for (final String id : value.split(","))
        {
            final T item = parser.parse(id.trim());
            if (!list.contains(item))
            {
                list.add(item);
            }
        }
        return List.copyOf(list);
    }

    private static int positive(final String flag, final String value)
    {
        final int number = nonNegative(flag, value);
        if (number == 0)
        {
            throw new IllegalArgumentException(flag + " " + value + " is not positive; accepted: a positive int");
        }
        return number;
    }

    private static int nonNegative(final String flag, final String value)
    {
        try
        {
            final int number = Integer.parseInt(value);
            if (number >= 0)
            {
                return number;
            }
        }
        catch (final NumberFormatException ex)
        {
            // Reported below with what is accepted.
        }
        throw new IllegalArgumentException(flag + " " + value + " is not a number >= 0; accepted: an int >= 0");
    }
}
