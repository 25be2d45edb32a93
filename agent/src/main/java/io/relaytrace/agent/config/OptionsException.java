package io.relaytrace.agent.config;

/**
 * A user error in the agent's options: the message is one line naming what was wrong and what is
 * accepted, ready to print after {@code "relaytrace: "}. Never carries a stack trace worth showing.
 */
public final class OptionsException extends Exception
{
    private static final long serialVersionUID = 1L;

    public OptionsException(final String message)
    {
        super(message, null, false, false);
    }
}
