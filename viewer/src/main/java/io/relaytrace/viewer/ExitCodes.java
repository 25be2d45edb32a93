package io.relaytrace.viewer;

/**
 * The exit statuses of every command, in one place.
 */
public final class ExitCodes
{
    /** Done; for {@code check}: the trace is intact and complete. */
    public static final int OK = 0;
    /** {@code check} found damage, or the trace is incomplete (no clean-close marker, a file cut short or missing). */
    public static final int DAMAGED = 1;
    /** The user asked for something that cannot be done: bad arguments, or a directory that is not a trace. */
    public static final int USAGE = 2;
    /** A file of the trace could not be read (permissions, I/O error). */
    public static final int IO_ERROR = 3;

    private ExitCodes()
    {
    }
}
