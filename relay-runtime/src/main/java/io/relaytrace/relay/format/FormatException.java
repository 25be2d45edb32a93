package io.relaytrace.relay.format;

/**
 * A file does not follow the format: the message names what is wrong and what is accepted, and
 * {@link #offset()} where in the file it was found.
 */
public final class FormatException extends Exception
{
    private static final long serialVersionUID = 1L;

    private final long offset;

    public FormatException(final long offset, final String message)
    {
        super(message, null, false, false);
        this.offset = offset;
    }

    /** @return the byte offset in the file where the problem was found. */
    public long offset()
    {
        return offset;
    }
}
