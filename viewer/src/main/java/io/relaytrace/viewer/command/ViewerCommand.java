package io.relaytrace.viewer.command;

import io.relaytrace.viewer.ExitCodes;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

/** The top command: names the subcommands; alone it prints usage. */
@Command(
    name = "relaytrace-viewer",
    mixinStandardHelpOptions = true,
    version = "relaytrace-viewer 0.1.0",
    description = "Reads a relaytrace trace directory offline.",
    subcommands = {
        SummaryCommand.class,
        CheckCommand.class,
        EventsCommand.class,
        TreeCommand.class,
        ThreadsCommand.class,
        ExportCommand.class,
        ReportCommand.class,
        FollowCommand.class
    },
    footer = {"", "Exit status: 0 done (check: intact), 1 damaged or incomplete (check), 2 bad arguments or not a trace, 3 I/O error."})
public final class ViewerCommand implements Callable<Integer>
{
    @Spec
    private CommandSpec spec;

    @Override
    public Integer call()
    {
        spec.commandLine().getErr().println("relaytrace-viewer: missing command: give one of summary, check, events, tree, threads, export, report, follow (see --help)");
        return ExitCodes.USAGE;
    }
}
