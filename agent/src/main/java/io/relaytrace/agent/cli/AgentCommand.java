package io.relaytrace.agent.cli;

import com.sun.tools.attach.AttachNotSupportedException;
import com.sun.tools.attach.VirtualMachine;
import com.sun.tools.attach.VirtualMachineDescriptor;
import io.relaytrace.agent.AgentProtocol;

import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Properties;

import static io.relaytrace.agent.AgentProtocol.*;

/**
 * {@code java -jar relaytrace-agent.jar attach|detach|status|dump|list}: starts and ends traces in
 * running JVMs through the Attach API.
 * <pre>
 *   attach PID OPTIONS   load the agent into PID and start tracing (OPTIONS as for -javaagent;
 *                        relative output= and config= paths are taken from here, not the target)
 *   detach PID           end the trace in PID and restore the original bytecode
 *   status PID           what the agent in PID is doing: options and counters, at most a second old
 *   dump PID             write what the buffers hold now (a flight recorder's snapshot)
 *   list                 the JVMs that can be attached to
 * </pre>
 * The agent answers through the target's system properties ({@link AgentProtocol}); this tool
 * prints the error, or the status. Exit status: 0 on success, 1 when the target refused
 * or the agent reported an error, 2 for a usage error. On JDK 21+ the target prints a warning about dynamically loaded agents unless it was
 * started with {@code -XX:+EnableDynamicAgentLoading}.
 */
public final class AgentCommand
{
    static final String USAGE = "usage: java -jar relaytrace-agent.jar attach <pid> include=PATTERN[,key=value...] | " +
        "detach <pid> | status <pid> | dump <pid> | list";

    private final PrintStream out;
    private final PrintStream err;

    AgentCommand(final PrintStream out, final PrintStream err)
    {
        this.out = out;
        this.err = err;
    }

    public static void main(final String[] args)
    {
        System.exit(new AgentCommand(System.out, System.err).run(args));
    }

    int run(final String[] args)
    {
        if (args.length == 1 && "list".equals(args[0]))
        {
            for (final VirtualMachineDescriptor vm : VirtualMachine.list())
            {
                out.println(vm.id() + " " + vm.displayName());
            }
            return 0;
        }
        if (args.length == 3 && "attach".equals(args[0]))
        {
            return command(args[1], START_PREFIX + AttachOptions.withAbsolutePaths(args[2], Path.of("").toAbsolutePath()));
        }
        if (args.length == 2 && "detach".equals(args[0]))
        {
            return command(args[1], STOP);
        }
        if (args.length == 2 && "status".equals(args[0]))
        {
            return command(args[1], null);
        }
        if (args.length == 2 && "dump".equals(args[0]))
        {
            return command(args[1], DUMP);
        }
        err.println("relaytrace: " + USAGE);
        return 2;
    }

    /**
     * @param pid       the target JVM.
     * @param agentArgs the agent command, or null to only read the status.
     */
    private int command(final String pid, final String agentArgs)
    {
        final VirtualMachine vm;
        try
        {
            vm = VirtualMachine.attach(pid);
        }
        catch (final AttachNotSupportedException | IOException ex)
        {
            err.println("relaytrace: cannot attach to pid " + pid + " (" + ex.getMessage() + "); give the pid of a running " +
                "JVM of the same user (see: list)");
            return 1;
        }
        try
        {
            // status only reads (the agent refreshes it every second): loading an agent again
            // would make JDK 21+ print its dynamic-loading warning on the target's console.
            if (agentArgs != null)
            {
                vm.loadAgent(agentJar(), agentArgs);
            }
            final Properties properties = vm.getSystemProperties();
            final String result = properties.getProperty(RESULT_PROPERTY, "");
            if (agentArgs != null && result.startsWith(ERROR_PREFIX))
            {
                err.println("relaytrace: " + result.substring(ERROR_PREFIX.length()));
                return 1;
            }
            out.println(properties.getProperty(STATUS_PROPERTY, "no relaytrace agent loaded"));
            return 0;
        }
        catch (final Exception ex)
        {
            err.println("relaytrace: the agent in pid " + pid + " failed (" + ex + ")");
            return 1;
        }
        finally
        {
            try
            {
                vm.detach();
            }
            catch (final IOException ignore)
            {
                // The answer is in; a failed detach of the attach connection changes nothing.
            }
        }
    }

    private static String agentJar() throws URISyntaxException
    {
        return new File(AgentCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI()).getPath();
    }
}
