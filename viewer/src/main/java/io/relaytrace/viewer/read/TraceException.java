package io.relaytrace.viewer.read;

/**
 * The path given is not a trace this reader can open: not a directory, no header file, or a
 * header that does not decode. The message is one line naming what was wrong and what is
 * accepted, fit to show a user as it is.
 */
public final class TraceException extends Exception
{
    private static final long serialVersionUID = 1L;

    public TraceException(final String message)
    {
        super(message, null, false, false);
    }
}
