package io.relaytrace.viewer.command;

import io.relaytrace.viewer.ExitCodes;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Supplier;

/**
 * The top command: names the subcommands; alone it prints usage. Build it with
 * {@link #commandLine(String[])}.
 */
@Command(
    name = "relaytrace-viewer",
    mixinStandardHelpOptions = true,
    version = "relaytrace-viewer 0.1.0",
    description = "Reads a relaytrace trace directory offline.",
    footer = {"", "Exit status: 0 done (check: intact), 1 damaged or incomplete (check), 2 bad arguments or not a trace, 3 I/O error."})
public final class ViewerCommand implements Callable<Integer>
{
    /** The subcommands, in the order {@code --help} lists them. */
    private static final Map<String, Supplier<Object>> SUBCOMMANDS = new LinkedHashMap<>();

    static
    {
        SUBCOMMANDS.put("summary", SummaryCommand::new);
        SUBCOMMANDS.put("check", CheckCommand::new);
        SUBCOMMANDS.put("events", EventsCommand::new);
        SUBCOMMANDS.put("tree", TreeCommand::new);
        SUBCOMMANDS.put("threads", ThreadsCommand::new);
        SUBCOMMANDS.put("export", ExportCommand::new);
        SUBCOMMANDS.put("report", ReportCommand::new);
        SUBCOMMANDS.put("follow", FollowCommand::new);
    }

    /**
     * The command line for {@code args}: when the first argument names a subcommand, only that one
     * is built (picocli reads each command's annotations by reflection, in the interpreter at start:
     * building all of them cost about 0.2 s of CPU on every run); otherwise all, for help and errors.
     *
     * @param args the command line.
     * @return the top command with its subcommands.
     */
    public static CommandLine commandLine(final String[] args)
    {
        final CommandLine line = new CommandLine(new ViewerCommand());
        final Supplier<Object> only = args.length > 0 ? SUBCOMMANDS.get(args[0]) : null;
        if (only != null)
        {
            line.addSubcommand(only.get());
        }
        else
        {
            SUBCOMMANDS.values().forEach(command -> line.addSubcommand(command.get()));
        }
        return line;
    }

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call()
    {
        spec.commandLine().getErr().println("relaytrace-viewer: missing command: give one of summary, check, events, tree, threads, export, report, follow (see --help)");
        return ExitCodes.USAGE;
    }
}
