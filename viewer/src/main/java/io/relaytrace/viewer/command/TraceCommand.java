package io.relaytrace.viewer.command;

import io.relaytrace.viewer.ExitCodes;
import io.relaytrace.viewer.read.Trace;
import io.relaytrace.viewer.read.TraceException;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * What every command that reads a trace shares: the {@code TRACE_DIR} parameter, opening the
 * trace (a directory that is not a trace is one line and {@link ExitCodes#USAGE}), reporting the
 * problems found as warnings on stderr, and turning an I/O failure into one line and
 * {@link ExitCodes#IO_ERROR}.
 */
abstract class TraceCommand implements Callable<Integer>
{
    private static final int MAX_WARNINGS = 20;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "TRACE_DIR", description = "The trace directory (holding trace.header).")
    Path traceDir;

    @Override
    public final Integer call()
    {
        final PrintWriter err = err();
        final String name = spec.name();
        final Trace trace;
        try
        {
            trace = Trace.open(traceDir);
        }
        catch (final TraceException ex)
        {
            err.println("relaytrace-viewer " + name + ": " + ex.getMessage());
            return ExitCodes.USAGE;
        }
        catch (final IOException ex)
        {
            err.println("relaytrace-viewer " + name + ": cannot read " + traceDir + ": " + ex);
            return ExitCodes.IO_ERROR;
        }
        if (warnAboutProblems())
        {
            warn(trace, err);
        }
        try
        {
            final int status = run(trace, out());
            out().flush();
            return status;
        }
        catch (final IOException ex)
        {
            err.println("relaytrace-viewer " + name + ": cannot read " + traceDir + ": " + ex);
            return ExitCodes.IO_ERROR;
        }
    }

    /** Prints the first problems as warnings, and how many more there are: a badly damaged trace must not flood the terminal. */
    private static void warn(final Trace trace, final PrintWriter err)
    {
        final int count = trace.problems().size();
        for (int i = 0; i < Math.min(count, MAX_WARNINGS); i++)
        {
            err.println("warning: " + trace.problems().get(i));
        }
        if (count > MAX_WARNINGS)
        {
            err.println("warning: " + (count - MAX_WARNINGS) + " more problems; 'check' lists them all");
        }
    }

    /** @return false for a command that reports problems itself. */
    boolean warnAboutProblems()
    {
        return true;
    }

    /**
     * @param trace the opened trace.
     * @param out   where results go.
     * @return the exit status.
     */
    abstract int run(Trace trace, PrintWriter out) throws IOException;

    /**
     * Creates the file a command writes its result to (replacing it). A directory or a path that
     * cannot be created is a bad argument.
     *
     * @return the writer, or null after one line on stderr: the command then exits {@link ExitCodes#USAGE}.
     */
    BufferedWriter createOutput(final Path output)
    {
        if (Files.isDirectory(output))
        {
            err().println("relaytrace-viewer " + spec.name() + ": -o " + output + " is a directory: give a file to write");
            return null;
        }
        try
        {
            return Files.newBufferedWriter(output, StandardCharsets.UTF_8);
        }
        catch (final IOException ex)
        {
            err().println("relaytrace-viewer " + spec.name() + ": cannot write -o " + output + ": " + ex);
            return null;
        }
    }

    PrintWriter out()
    {
        return spec.commandLine().getOut();
    }

    PrintWriter err()
    {
        return spec.commandLine().getErr();
    }
}
