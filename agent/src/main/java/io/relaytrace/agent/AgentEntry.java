package io.relaytrace.agent;

import java.lang.instrument.Instrumentation;

/**
 * The agent's entry points: {@code premain} for {@code -javaagent:relaytrace-agent.jar=OPTIONS},
 * {@code agentmain} for a dynamic attach. Deliberately tiny: it touches no runtime or instrumentation
 * class itself and catches everything, so the application always starts.
 */
public final class AgentEntry
{
    private AgentEntry()
    {
    }

    public static void premain(final String args, final Instrumentation inst)
    {
        try
        {
            Agent.premain(args, inst);
        }
        catch (final Throwable t)
        {
            System.err.println("relaytrace: the agent failed to start (" + t + "); the application runs untraced");
        }
    }

    public static void agentmain(final String args, final Instrumentation inst)
    {
        try
        {
            Agent.agentmain(args, inst);
        }
        catch (final Throwable t)
        {
            System.err.println("relaytrace: the agent command failed (" + t + ")");
        }
    }
}
