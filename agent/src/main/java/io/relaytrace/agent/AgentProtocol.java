package io.relaytrace.agent;

/**
 * What the command-line tool and an agent loaded by attach say to each other. The tool loads the
 * agent with {@link #START_PREFIX}OPTIONS, {@link #STOP} or {@link #DUMP} as its arguments; the
 * agent answers in
 * the target's system properties, which the tool reads through the Attach API:
 * {@link #RESULT_PROPERTY} is {@link #OK} or {@link #ERROR_PREFIX} and one line, and
 * {@link #STATUS_PROPERTY} says what the agent is doing ({@code tracing output=...},
 * {@code detached output=...}).
 */
public final class AgentProtocol
{
    public static final String START_PREFIX = "start:";
    public static final String STOP = "stop";
    /** Write what the buffers hold now to the trace (a flight recorder's snapshot). */
    public static final String DUMP = "dump";

    public static final String STATUS_PROPERTY = "relaytrace.status";
    public static final String RESULT_PROPERTY = "relaytrace.result";
    public static final String OK = "ok";
    public static final String ERROR_PREFIX = "error: ";

    private AgentProtocol()
    {
    }
}
