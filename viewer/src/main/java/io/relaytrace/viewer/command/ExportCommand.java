package io.relaytrace.viewer.command;

import io.relaytrace.viewer.ExitCodes;
import io.relaytrace.viewer.analysis.Glob;
import io.relaytrace.viewer.export.ChromeTraceExport;
import io.relaytrace.viewer.export.CollapsedStacksExport;
import io.relaytrace.viewer.export.CtfExport;
import io.relaytrace.viewer.export.HgrmExport;
import io.relaytrace.viewer.export.TextExport;
import io.relaytrace.viewer.read.Trace;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;

/**
 * {@code export TRACE_DIR --format collapsed|hgrm|chrome|ctf [-o OUT]}: the trace for other tools.
 * Text formats go to standard output or to the file {@code -o} names; {@code ctf} writes a
 * directory and needs {@code -o}. Each format is one class of {@code io.relaytrace.viewer.export}.
 */
@Command(name = "export", mixinStandardHelpOptions = true,
    description = {"collapsed: one line per call path, 'frame;frame;frame <self ns>', for flame graph tools.",
        "hgrm: the HdrHistogram percentile distribution of each method's call durations (ns).",
        "chrome: Chrome Trace Event JSON for Perfetto or chrome://tracing, one track per thread.",
        "ctf: a CTF 1.8 trace directory (metadata + one stream per CPU file) for babeltrace2 and Trace Compass."})
final class ExportCommand extends TraceCommand
{
    /** The formats {@code --format} accepts. */
    enum Format
    {
        collapsed, hgrm, chrome, ctf
    }

    @Option(names = "--format", required = true, paramLabel = "FORMAT", description = "collapsed, hgrm, chrome or ctf.")
    Format format;

    @Option(names = "--method", paramLabel = "GLOB", description = "hgrm: only methods matching this glob.")
    String method;

    @Option(names = {"-o", "--output"}, paramLabel = "OUT",
        description = "The file to write (default: standard output); for ctf a new or empty directory (required).")
    Path output;

    @Override
    int run(final Trace trace, final PrintWriter out) throws IOException
    {
        if (format == Format.ctf)
        {
            if (output == null)
            {
                err().println("relaytrace-viewer export: --format ctf writes a directory: give it with -o DIR");
                return ExitCodes.USAGE;
            }
            final String wrong = CtfExport.checkTarget(output);
            if (wrong != null)
            {
                err().println("relaytrace-viewer export: " + wrong);
                return ExitCodes.USAGE;
            }
            CtfExport.write(trace, output);
            return ExitCodes.OK;
        }
        final TextExport export = textExport();
        if (output == null)
        {
            export.write(trace, out);
            return ExitCodes.OK;
        }
        final BufferedWriter file = createOutput(output);
        if (file == null)
        {
            return ExitCodes.USAGE;
        }
        try (PrintWriter writer = new PrintWriter(file))
        {
            export.write(trace, writer);
            writer.flush();
            if (writer.checkError())
            {
                throw new IOException("cannot write " + output);
            }
        }
        return ExitCodes.OK;
    }

    private TextExport textExport()
    {
        switch (format)
        {
            case collapsed: return new CollapsedStacksExport();
            case hgrm: return new HgrmExport(method == null ? null : new Glob(method));
            default: return new ChromeTraceExport();
        }
    }
}
