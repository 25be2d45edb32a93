package io.relaytrace.agent;

import io.relaytrace.agent.boot.BootstrapJar;
import io.relaytrace.agent.boot.ModuleExports;
import io.relaytrace.agent.config.AgentOptions;
import io.relaytrace.agent.config.OptionsException;
import io.relaytrace.agent.config.OptionsParser;

import java.io.IOException;
import java.lang.instrument.Instrumentation;

/**
 * The agent's state in a JVM, across loads: one trace at a time, and the first
 * {@link Instrumentation} the agent was given, kept because a transformer can only be removed
 * through the instance that added it and every dynamic attach brings a new one.
 * <p>
 * Commands for {@code agentmain} (sent by {@code relaytrace-agent.jar attach/detach}):
 * {@value #START_PREFIX}OPTIONS starts a trace, {@value #STOP} ends it and restores the original
 * bytecode. The outcome is published in the system property {@value #STATUS_PROPERTY}, which the
 * command-line tool reads back through the Attach API.
 */
final class Agent
{
    static final String START_PREFIX = "start:";
    static final String STOP = "stop";
    static final String STATUS_PROPERTY = "relaytrace.status";

    private static Instrumentation firstInstrumentation;
    private static TraceSession session;

    private Agent()
    {
    }

    static synchronized void premain(final String args, final Instrumentation inst)
    {
        start(args, inst);
    }

    static synchronized void agentmain(final String args, final Instrumentation inst)
    {
        if (args != null && args.startsWith(START_PREFIX))
        {
            start(args.substring(START_PREFIX.length()), inst);
        }
        else if (STOP.equals(args))
        {
            stop();
        }
        else
        {
            report("error: unknown agent command '" + args + "'; expected " + START_PREFIX + "OPTIONS or " + STOP);
        }
    }

    private static void start(final String args, final Instrumentation inst)
    {
        if (firstInstrumentation == null)
        {
            firstInstrumentation = inst;
        }
        if (session != null)
        {
            report("error: already tracing to output=" + session.options().output() + "; detach first");
            return;
        }
        final AgentOptions options;
        try
        {
            options = OptionsParser.forThisJvm().parse(args);
        }
        catch (final OptionsException ex)
        {
            report("error: " + ex.getMessage() + "; not tracing");
            return;
        }
        try
        {
            final Module runtime = BootstrapJar.append(firstInstrumentation);
            ModuleExports.exportCarrierInternals(firstInstrumentation, runtime);
        }
        catch (final IOException ex)
        {
            report("error: cannot put the runtime on the bootstrap class path (" + ex.getMessage() + "); not tracing");
            return;
        }
        try
        {
            session = TraceSession.start(options, firstInstrumentation);
            System.setProperty(STATUS_PROPERTY, "tracing output=" + options.output() + " options=" + options.text());
        }
        catch (final StartException ex)
        {
            report("error: " + ex.getMessage() + "; not tracing");
        }
    }

    private static void stop()
    {
        if (session == null)
        {
            report("error: not tracing; nothing to detach");
            return;
        }
        final TraceSession ending = session;
        session = null;
        ending.close(true);
        System.setProperty(STATUS_PROPERTY, "detached output=" + ending.options().output());
    }

    /** An error: one line on the application's stderr, and the status for the command-line tool. */
    private static void report(final String status)
    {
        System.setProperty(STATUS_PROPERTY, status);
        if (status.startsWith("error: "))
        {
            System.err.println("relaytrace: " + status.substring("error: ".length()));
        }
    }
}
