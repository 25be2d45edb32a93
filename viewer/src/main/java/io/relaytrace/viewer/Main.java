package io.relaytrace.viewer;

import io.relaytrace.viewer.command.ViewerCommand;
import picocli.CommandLine;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;

/**
 * {@code java -jar relaytrace-viewer.jar COMMAND TRACE_DIR [options]}: the offline trace viewer.
 * <p>
 * Guarantees: a user error (unknown option, missing argument, a directory that is not a trace)
 * prints one line on stderr and exits with {@link ExitCodes#USAGE}, never a stack trace.
 */
public final class Main
{
    private Main()
    {
    }

    public static void main(final String[] args)
    {
        System.exit(run(args, System.out, System.err));
    }

    /**
     * Runs a command in this JVM, as tests do.
     *
     * @param args the command line.
     * @param out  where results go.
     * @param err  where errors and warnings go.
     * @return the exit status, one of {@link ExitCodes}.
     */
    public static int run(final String[] args, final PrintStream out, final PrintStream err)
    {
        final PrintWriter outWriter = new PrintWriter(new java.io.OutputStreamWriter(out, StandardCharsets.UTF_8), true);
        final PrintWriter errWriter = new PrintWriter(new java.io.OutputStreamWriter(err, StandardCharsets.UTF_8), true);
        final CommandLine commandLine = ViewerCommand.commandLine(args);
        commandLine.setOut(outWriter);
        commandLine.setErr(errWriter);
        commandLine.setParameterExceptionHandler((ex, arguments) ->
        {
            errWriter.println("relaytrace-viewer: " + oneLine(ex.getMessage()) + " (see --help)");
            return ExitCodes.USAGE;
        });
        commandLine.setExecutionExceptionHandler((ex, cmd, parsed) ->
        {
            errWriter.println("relaytrace-viewer: " + cmd.getCommandName() + " failed: " + oneLine(String.valueOf(ex)));
            return ExitCodes.IO_ERROR;
        });
        try
        {
            return commandLine.execute(args);
        }
        finally
        {
            outWriter.flush();
            errWriter.flush();
        }
    }

    private static String oneLine(final String message)
    {
        return message == null ? "" : message.replace('\n', ' ').replace('\r', ' ').trim();
    }
}
