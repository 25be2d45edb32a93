package io.relaytrace.agent;

import io.relaytrace.agent.boot.BootstrapJar;
import io.relaytrace.agent.boot.ModuleExports;
import io.relaytrace.agent.config.AgentOptions;
import io.relaytrace.agent.config.OptionsException;
import io.relaytrace.agent.config.OptionsParser;
import io.relaytrace.agent.config.OutputDirectory;

import java.io.IOException;
import java.lang.instrument.Instrumentation;

import static io.relaytrace.agent.AgentProtocol.*;

/**
 * The agent's state in a JVM, across loads: one trace at a time, and the first
 * {@link Instrumentation} the agent was given, kept because a transformer can only be removed
 * through the instance that added it and every dynamic attach brings a new one.
 * <p>
 * Commands for {@code agentmain} (sent by {@code relaytrace-agent.jar attach/detach/dump}, see
 * {@link AgentProtocol}): start a trace, end it and restore the original bytecode, or write a snapshot.
 */
final class Agent
{
    private static Instrumentation firstInstrumentation;
    private static TraceSession session;

    private Agent()
    {
    }

    static synchronized void premain(final String args, final Instrumentation inst)
    {
        start(args, inst, false);
    }

    static synchronized void agentmain(final String args, final Instrumentation inst)
    {
        if (args != null && args.startsWith(START_PREFIX))
        {
            start(args.substring(START_PREFIX.length()), inst, true);
        }
        else if (STOP.equals(args))
        {
            stop();
        }
        else if (DUMP.equals(args))
        {
            dump();
        }
        else
        {
            fail("unknown agent command '" + args + "'; expected " + START_PREFIX + "OPTIONS, " + STOP + " or " + DUMP);
        }
    }

    /**
     * @param answer whether a command-line tool waits for the result (an attach); after
     *               {@code -javaagent} nobody does, and the session's status thread publishes the
     *               status instead, off the application's start.
     */
    private static void start(final String args, final Instrumentation inst, final boolean answer)
    {
        if (firstInstrumentation == null)
        {
            firstInstrumentation = inst;
        }
        if (session != null)
        {
            fail("already tracing to output=" + session.options().output() + "; detach first");
            return;
        }
        final AgentOptions options;
        try
        {
            options = OptionsParser.forThisJvm().parse(args);
            OutputDirectory.check(options.output());
        }
        catch (final OptionsException ex)
        {
            fail(ex.getMessage() + "; not tracing");
            return;
        }
        try
        {
            final Module runtime = BootstrapJar.append(firstInstrumentation);
            ModuleExports.exportCarrierInternals(firstInstrumentation, runtime);
        }
        catch (final IOException ex)
        {
            fail("cannot put the runtime on the bootstrap class path (" + ex.getMessage() + "); not tracing");
            return;
        }
        try
        {
            session = TraceSession.start(options, firstInstrumentation);
            if (answer)
            {
                succeed(session.status());
            }
        }
        catch (final StartException ex)
        {
            fail(ex.getMessage() + "; not tracing");
        }
    }

    private static void stop()
    {
        if (session == null)
        {
            fail("not tracing; nothing to detach");
            return;
        }
        final TraceSession ending = session;
        session = null;
        ending.close(true);
        succeed("detached output=" + ending.options().output());
    }

    private static void dump()
    {
        if (session == null)
        {
            fail("not tracing; nothing to dump");
            return;
        }
        session.dump();
        succeed("dumped output=" + session.options().output() + " " + session.totals());
    }

    private static void succeed(final String status)
    {
        System.setProperty(STATUS_PROPERTY, status);
        System.setProperty(RESULT_PROPERTY, OK);
    }

    /** An error: one line on the application's stderr, and the result for the command-line tool; the state is unchanged. */
    private static void fail(final String message)
    {
        System.setProperty(RESULT_PROPERTY, ERROR_PREFIX + message);
        System.err.println("relaytrace: " + message);
    }
}
