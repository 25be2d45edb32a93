package io.relaytrace.bench.overhead;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs the decoders, each in a child JVM so its time and memory are its own: relaytrace's
 * {@code summary --json}, {@code jfr summary} and the {@link JfrMethodTraceCount} RecordingFile loop.
 */
final class TraceDecoders
{
    static final String SUMMARY = "summary";
    static final String JFR_SUMMARY = "jfr summary";
    static final String RECORDING_FILE = "RecordingFile";

    /** A row of {@code jfr summary}: {@code  jdk.MethodTrace   <count>   <bytes>}. */
    private static final Pattern JFR_SUMMARY_ROW =
        Pattern.compile("^\\s*" + Pattern.quote(JfrMethodTraceCount.EVENT_NAME) + "\\s+(\\d+)\\s+(\\d+)", Pattern.MULTILINE);

    private final ToolPaths tools;
    private final Path workDir;
    private final Duration timeout;

    TraceDecoders(final ToolPaths tools, final Path workDir, final Duration timeout)
    {
        this.tools = tools;
        this.workDir = workDir;
        this.timeout = timeout;
    }

    /** @return the decoders that read {@code tracer}'s traces; the first one also counts its events. */
    List<String> decodersOf(final Tracer tracer)
    {
        return tracer == Tracer.RELAYTRACE ? List.of(SUMMARY) : List.of(JFR_SUMMARY, RECORDING_FILE);
    }

    DecodeResult decode(final String decoder, final Path trace) throws IOException, InterruptedException
    {
        return switch (decoder)
        {
            case SUMMARY -> relaytraceSummary(trace);
            case JFR_SUMMARY -> jfrSummary(trace);
            case RECORDING_FILE -> recordingFile(trace);
            default -> throw new IllegalArgumentException("unknown decoder=" + decoder);
        };
    }

    private DecodeResult relaytraceSummary(final Path traceDir) throws IOException, InterruptedException
    {
        final ChildResult child = check(ChildProcess.run(
            List.of(tools.java().toString(), "-jar", tools.viewerJar().toString(), "summary", "--json", traceDir.toString()),
            workDir, timeout), "summary");
        final String json = child.stdout();
        return new DecodeResult(SUMMARY, KeyValues.jsonLong(json, "events"), KeyValues.jsonLong(json, "lost"),
            KeyValues.jsonLong(json, "dropped"), child);
    }

    private DecodeResult jfrSummary(final Path file) throws IOException, InterruptedException
    {
        final ChildResult child = check(ChildProcess.run(List.of(tools.jfr().toString(), "summary", file.toString()),
            workDir, timeout), "jfr summary");
        final Matcher row = JFR_SUMMARY_ROW.matcher(child.stdout());
        return new DecodeResult(JFR_SUMMARY, row.find() ? Long.parseLong(row.group(1)) : 0, 0, 0, child);
    }

    private DecodeResult recordingFile(final Path file) throws IOException, InterruptedException
    {
        final ChildResult child = check(ChildProcess.run(List.of(tools.java().toString(), "-cp", tools.classPath(),
            JfrMethodTraceCount.class.getName(), file.toString()), workDir, timeout), "RecordingFile");
        return new DecodeResult(RECORDING_FILE, child.stdoutLong("events"), 0, 0, child);
    }

    static ChildResult check(final ChildResult child, final String what) throws IOException
    {
        if (child.exitCode() != 0)
        {
            throw new IOException(what + " failed: exit=" + child.exitCode() + " stderr=" + ChildProcess.tail(child.stderr()));
        }
        return child;
    }
}
