package io.relaytrace.viewer.command;

import io.relaytrace.viewer.read.Definitions;

import java.util.List;

/** The {@code --thread} option of several commands: thread ids or names; none given keeps every thread. */
final class ThreadFilter
{
    private final List<String> wanted;
    private final Definitions definitions;

    ThreadFilter(final List<String> wanted, final Definitions definitions)
    {
        this.wanted = wanted == null ? List.of() : wanted;
        this.definitions = definitions;
    }

    boolean accepts(final long threadId)
    {
        if (wanted.isEmpty())
        {
            return true;
        }
        final String id = Long.toString(threadId);
        final String name = definitions.threadName(threadId);
        for (final String w : wanted)
        {
            if (w.equals(id) || w.equals(name))
            {
                return true;
            }
        }
        return false;
    }
}
