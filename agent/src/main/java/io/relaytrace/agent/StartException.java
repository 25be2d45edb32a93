package io.relaytrace.agent;

/**
 * The trace could not start for a reason the user can fix (output directory, options); the message
 * is one line for stderr after {@code "relaytrace: "}.
 */
final class StartException extends Exception
{
    private static final long serialVersionUID = 1L;

    StartException(final String message)
    {
        super(message, null, false, false);
    }
}
