package io.relaytrace.viewer.command;

import io.relaytrace.viewer.ExitCodes;
import io.relaytrace.viewer.read.Trace;
import io.relaytrace.viewer.report.HtmlReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;

/** {@code report TRACE_DIR -o report.html}: one self-contained HTML page, see {@link HtmlReport}. */
@Command(name = "report", mixinStandardHelpOptions = true,
    description = "One self-contained HTML file (no network access): summary, methods, flame graph, per-thread timeline.")
final class ReportCommand extends TraceCommand
{
    @Option(names = {"-o", "--output"}, required = true, paramLabel = "FILE", description = "The HTML file to write.")
    Path output;

    @Override
    int run(final Trace trace, final PrintWriter out) throws IOException
    {
        final BufferedWriter file = createOutput(output);
        if (file == null)
        {
            return ExitCodes.USAGE;
        }
        try (file)
        {
            HtmlReport.write(trace, traceDir.toString(), file);
        }
        return ExitCodes.OK;
    }
}
