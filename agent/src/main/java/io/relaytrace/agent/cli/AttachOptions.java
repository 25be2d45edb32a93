package io.relaytrace.agent.cli;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;

/**
 * Options given to {@code attach}, made ready for the target JVM: relative {@code output=} and
 * {@code config=} paths are resolved against this tool's working directory, which is what the user
 * meant, rather than the target's. Everything else passes unchanged; the agent checks it.
 */
final class AttachOptions
{
    private static final String[] PATH_KEYS = {"output=", "config="};

    private AttachOptions()
    {
    }

    /**
     * @param options the options as typed, e.g. {@code include=com.acme.**,output=t1}.
     * @param cwd     the directory relative paths are resolved against.
     * @return the same options with absolute paths, e.g. {@code include=com.acme.**,output=/home/me/t1}.
     */
    static String withAbsolutePaths(final String options, final Path cwd)
    {
        final String[] entries = options.split(",", -1);
        final StringBuilder result = new StringBuilder(options.length() + 64);
        for (int i = 0; i < entries.length; i++)
        {
            if (i > 0)
            {
                result.append(',');
            }
            result.append(absolute(entries[i], cwd));
        }
        return result.toString();
    }

    private static String absolute(final String entry, final Path cwd)
    {
        final String trimmed = entry.trim();
        for (final String key : PATH_KEYS)
        {
            if (trimmed.startsWith(key) && trimmed.length() > key.length())
            {
                try
                {
                    return key + cwd.resolve(trimmed.substring(key.length()).trim()).normalize();
                }
                catch (final InvalidPathException ex)
                {
                    return entry; // the agent reports it, with what is accepted
                }
            }
        }
        return entry;
    }
}
