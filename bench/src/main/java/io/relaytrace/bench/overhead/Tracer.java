package io.relaytrace.bench.overhead;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The tracers compared, each as the JVM options that turn it on for one workload.
 * <ul>
 *   <li>{@code none}: no agent.</li>
 *   <li>{@code relaytrace}: {@code -javaagent:relaytrace-agent.jar=include=...,output=DIR}, default options.</li>
 *   <li>{@code jfr}: JDK 25 method tracing (JEP 520), {@code -XX:StartFlightRecording:method-trace=C::m;...},
 *       default settings (a stack trace per event); {@code maxsize} large enough that no chunk is dropped.</li>
 *   <li>{@code jfr-nostack}: the same with {@code jdk.MethodTrace#stackTrace=false}.</li>
 *   <li>{@code async-profiler}: async-profiler 4.4's method tracing,
 *       {@code -agentpath:libasyncProfiler.so=start,trace=C.m,...,file=x.jfr}; it writes {@code jdk.MethodTrace}
 *       events in JFR format, one per call.</li>
 * </ul>
 */
enum Tracer
{
    NONE("none", 0),
    RELAYTRACE("relaytrace", 2),
    JFR("jfr", 1),
    JFR_NO_STACK("jfr-nostack", 1),
    ASYNC_PROFILER("async-profiler", 1);

    /** JFR drops the oldest chunks past maxsize: this is far above any recording here. */
    private static final String JFR_MAXSIZE = "1000g";

    private final String id;
    private final int eventsPerCall;

    Tracer(final String id, final int eventsPerCall)
    {
        this.id = id;
        this.eventsPerCall = eventsPerCall;
    }

    String id()
    {
        return id;
    }

    /** @return events a complete trace holds per traced call: ENTER and EXIT for relaytrace, one for JFR's format. */
    int eventsPerCall()
    {
        return eventsPerCall;
    }

    /** @return true when the trace is a JFR file ({@code jfr summary} and RecordingFile decode it). */
    boolean writesJfr()
    {
        return this == JFR || this == JFR_NO_STACK || this == ASYNC_PROFILER;
    }

    /** @return the trace's path in {@code runDir}: a directory for relaytrace, a file for the others. */
    Path tracePath(final Path runDir)
    {
        return runDir.resolve(this == RELAYTRACE ? "trace" : "trace.jfr");
    }

    /** @return the JVM options that trace {@code workload} into {@code trace}. */
    List<String> jvmOptions(final Workload workload, final Path trace, final ToolPaths tools)
    {
        final List<String> options = new ArrayList<>();
        switch (this)
        {
            case NONE ->
            {
            }
            case RELAYTRACE ->
            {
                final StringBuilder agent = new StringBuilder("-javaagent:").append(tools.agentJar()).append('=');
                for (final String include : workload.relaytraceIncludes())
                {
                    agent.append("include=").append(include).append(',');
                }
                options.add(agent.append("output=").append(trace).toString());
            }
            case JFR, JFR_NO_STACK ->
            {
                final String stack = this == JFR_NO_STACK ? ",jdk.MethodTrace#stackTrace=false" : "";
                options.add("-XX:StartFlightRecording:method-trace=" + String.join(";", workload.methods()) +
                    ",filename=" + trace + ",maxsize=" + JFR_MAXSIZE + stack);
            }
            case ASYNC_PROFILER ->
            {
                final StringBuilder agent = new StringBuilder("-agentpath:").append(tools.asyncProfilerLibrary())
                    .append("=start");
                for (final String method : workload.methods())
                {
                    agent.append(",trace=").append(method.replace("::", "."));
                }
                options.add(agent.append(",file=").append(trace).toString());
            }
        }
        return options;
    }

    static Tracer byId(final String id)
    {
        for (final Tracer tracer : values())
        {
            if (tracer.id.equals(id))
            {
                return tracer;
            }
        }
        throw new IllegalArgumentException("unknown tracer=" + id + "; accepted: none, relaytrace, jfr, jfr-nostack, async-profiler");
    }
}
