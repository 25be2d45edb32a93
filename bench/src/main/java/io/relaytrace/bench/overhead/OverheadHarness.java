package io.relaytrace.bench.overhead;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Stream;

/**
 * Tracer overhead: runs each workload in a fresh child JVM under no agent, relaytrace, JFR method
 * tracing (with and without stack traces) and async-profiler method tracing, for several
 * interleaved rounds (the tracer order rotated each round), counts what each trace recorded,
 * times the decoders on the last round's traces, measures JVM start to main with and without the
 * agent, and prints a Markdown report ({@link MarkdownReport}).
 * <p>
 * Usage: {@code bench/overhead [flags]} (see {@link HarnessOptions}); a quick check:
 * {@code bench/overhead --runs 1 --hot-calls 100000 --fib-n 20 --vt-threads 100 --vt-calls 100 --mixed-orders 50}.
 * <p>
 * Guarantees: every run's workload must exit 0 and print its call count, and every traced run's
 * trace is decoded and counted; a failure stops the harness with one line naming the run.
 */
public final class OverheadHarness
{
    private final HarnessOptions options;
    private final ToolPaths tools;
    private final Path workDir;
    private final TraceDecoders decoders;

    OverheadHarness(final HarnessOptions options, final ToolPaths tools, final Path workDir)
    {
        this.options = options;
        this.tools = tools;
        this.workDir = workDir;
        this.decoders = new TraceDecoders(tools, workDir, options.childTimeout());
    }

    public static void main(final String[] args)
    {
        try
        {
            final HarnessOptions options = HarnessOptions.parse(args);
            final HarnessResults results = run(options);
            System.out.print(MarkdownReport.render(results));
        }
        catch (final IllegalArgumentException | IOException | UncheckedIOException ex)
        {
            System.err.println("overhead: " + ex.getMessage());
            System.exit(2);
        }
        catch (final InterruptedException ex)
        {
            System.err.println("overhead: interrupted");
            System.exit(3);
        }
    }

    /** Runs everything {@code options} asks for in a work directory, deleted afterwards unless given. */
    static HarnessResults run(final HarnessOptions options) throws IOException, InterruptedException
    {
        final boolean ownWorkDir = options.workDir() == null;
        final Path workDir = ownWorkDir ? Files.createTempDirectory("relaytrace-overhead") :
            Files.createDirectories(options.workDir());
        try
        {
            final ToolPaths tools = ToolPaths.locate(options.agentJar(), options.viewerJar(), workDir);
            return new OverheadHarness(options, tools, workDir).runAll();
        }
        finally
        {
            if (ownWorkDir)
            {
                deleteTree(workDir);
            }
        }
    }

    private HarnessResults runAll() throws IOException, InterruptedException
    {
        final List<RunResult> runs = new ArrayList<>();
        final List<HarnessResults.Decode> decodes = new ArrayList<>();
        for (int round = 0; round < options.runs(); round++)
        {
            final boolean lastRound = round == options.runs() - 1;
            for (final Workload workload : options.workloads())
            {
                for (final Tracer tracer : tracersInOrder(workload, round))
                {
                    final RunResult run = runOnce(workload, tracer, round);
                    runs.add(run);
                    progress(run);
                    final Path trace = tracer.tracePath(runDir(workload, tracer, round));
                    if (lastRound && tracer != Tracer.NONE)
                    {
                        decodes.addAll(decodeAll(workload, tracer, trace, run.traceBytes()));
                    }
                    deleteTree(runDir(workload, tracer, round));
                }
            }
        }
        long[][] startup = {new long[0], new long[0]};
        if (options.startupRuns() > 0)
        {
            startup = new StartupProbe(tools, workDir).measure(options.startupRuns());
        }
        return new HarnessResults(options, List.copyOf(runs), List.copyOf(decodes), startup[0], startup[1]);
    }

    /** @return the tracers for {@code workload}, rotated by {@code round} so none always runs first. */
    private List<Tracer> tracersInOrder(final Workload workload, final int round)
    {
        final List<Tracer> tracers = new ArrayList<>(workload.traced() ? options.tracers() : List.of(Tracer.NONE));
        Collections.rotate(tracers, -(round % tracers.size()));
        return tracers;
    }

    private Path runDir(final Workload workload, final Tracer tracer, final int round)
    {
        return workDir.resolve("round" + round + "-" + workload.id() + "-" + tracer.id());
    }

    private RunResult runOnce(final Workload workload, final Tracer tracer, final int round)
        throws IOException, InterruptedException
    {
        final Path runDir = Files.createDirectories(runDir(workload, tracer, round));
        final Path trace = tracer.tracePath(runDir);
        final List<String> command = new ArrayList<>(List.of(tools.java().toString()));
        command.addAll(tracer.jvmOptions(workload, trace, tools));
        command.addAll(List.of("-cp", tools.classPath(), workload.mainClass()));
        command.addAll(workload.args(options));
        final ChildResult child = ChildProcess.run(command, runDir, options.childTimeout());
        final String what = "run workload=" + workload.id() + " tracer=" + tracer.id() + " round=" + round;
        TraceDecoders.check(child, what);
        final String callsKey = tracer == Tracer.RELAYTRACE || tracer == Tracer.NONE ? "calls" : workload.selectedCallsKey();
        final long calls = child.stdoutLong(callsKey);
        final long loopNanos = child.stdoutLong("loopNanos");
        if (calls < 0 || loopNanos < 0)
        {
            throw new IOException(what + " printed no calls or loopNanos: stdout=" + ChildProcess.tail(child.stdout()));
        }
        if (tracer == Tracer.NONE)
        {
            return new RunResult(workload, tracer, round, calls, loopNanos, child, 0, null);
        }
        final long bytes = sizeOf(trace);
        if (bytes == 0)
        {
            throw new IOException(what + " wrote no trace: path=" + trace + " stderr=" + ChildProcess.tail(child.stderr()));
        }
        final DecodeResult count = decoders.decode(decoders.decodersOf(tracer).get(0), trace);
        return new RunResult(workload, tracer, round, calls, loopNanos, child, bytes, count);
    }

    private List<HarnessResults.Decode> decodeAll(final Workload workload, final Tracer tracer, final Path trace,
        final long traceBytes) throws IOException, InterruptedException
    {
        final List<HarnessResults.Decode> decodes = new ArrayList<>();
        for (int i = 0; i < options.decodeRuns(); i++)
        {
            for (final String decoder : decoders.decodersOf(tracer))
            {
                decodes.add(new HarnessResults.Decode(workload, tracer, traceBytes, decoders.decode(decoder, trace)));
            }
        }
        return decodes;
    }

    private static void progress(final RunResult run)
    {
        System.err.printf("overhead: round=%d workload=%s tracer=%s calls=%d loop=%.1fms wall=%.1fms cpu=%.1fms events=%s%n",
            run.round(), run.workload().id(), run.tracer().id(), run.calls(), run.loopNanos() / 1e6,
            run.child().wallNanos() / 1e6, run.child().cpuNanos() / 1e6,
            run.count() == null ? "-" : Long.toString(run.count().events()));
    }

    static long sizeOf(final Path path) throws IOException
    {
        if (!Files.exists(path))
        {
            return 0;
        }
        try (Stream<Path> files = Files.walk(path))
        {
            return files.filter(Files::isRegularFile).mapToLong(file ->
            {
                try
                {
                    return Files.size(file);
                }
                catch (final IOException ex)
                {
                    throw new UncheckedIOException(ex);
                }
            }).sum();
        }
    }

    static void deleteTree(final Path root) throws IOException
    {
        if (!Files.exists(root))
        {
            return;
        }
        Files.walkFileTree(root, new SimpleFileVisitor<>()
        {
            @Override
            public FileVisitResult visitFile(final Path file, final BasicFileAttributes attrs) throws IOException
            {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(final Path dir, final IOException ex) throws IOException
            {
                Files.delete(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
