package io.relaytrace.agent.config;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/**
 * Checks, before anything else is set up, that the trace directory can be created and written,
 * so that a bad {@code output=} costs the application one line on stderr and nothing else (no boot
 * jar appended, no transformer). Creates nothing: the runtime creates the directory, owner-only,
 * when it sets up the files, and reports what this check cannot foresee.
 */
public final class OutputDirectory
{
    /** The file every trace directory holds; its presence means the directory was used already. */
    static final String TRACE_HEADER = "trace.header";

    private OutputDirectory()
    {
    }

    /**
     * @param output the trace directory, absolute.
     * @throws OptionsException if it exists but is not an empty-of-traces directory, or if its
     *     nearest existing ancestor is not a writable directory.
     */
    public static void check(final Path output) throws OptionsException
    {
        if (Files.exists(output, LinkOption.NOFOLLOW_LINKS))
        {
            if (!Files.isDirectory(output, LinkOption.NOFOLLOW_LINKS))
            {
                throw cannot(output, output + " exists and is not a directory");
            }
            if (Files.exists(output.resolve(TRACE_HEADER)))
            {
                throw new OptionsException("output=" + output + " already holds a trace (" + output.resolve(TRACE_HEADER) +
                    " exists); give a new or empty directory");
            }
            if (!Files.isWritable(output))
            {
                throw cannot(output, output + " is not writable");
            }
            return;
        }
        Path ancestor = output.getParent();
        while (ancestor != null && !Files.exists(ancestor))
        {
            ancestor = ancestor.getParent();
        }
        if (ancestor == null)
        {
            throw cannot(output, "no part of it exists");
        }
        if (!Files.isDirectory(ancestor))
        {
            throw cannot(output, ancestor + " is not a directory");
        }
        if (!Files.isWritable(ancestor))
        {
            throw cannot(output, ancestor + " is not writable");
        }
    }

    private static OptionsException cannot(final Path output, final String why)
    {
        return new OptionsException(cannotCreate(output, why));
    }

    /**
     * @param output the trace directory.
     * @param why    what went wrong.
     * @return the one-line message for a trace directory that cannot be set up.
     */
    public static String cannotCreate(final Path output, final String why)
    {
        return "cannot create the trace in output=" + output + " (" + why +
            "); give output=DIR naming a directory that can be created and written";
    }
}
