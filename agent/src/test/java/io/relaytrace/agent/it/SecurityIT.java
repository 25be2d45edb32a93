package io.relaytrace.agent.it;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The agent keeps to the JDK's security rules and opens nothing: attaching to another user's JVM
 * fails with one clear line (the JDK's attach mechanism refuses it, the agent adds no way around
 * it), and a traced JVM holds the same sockets as an untraced one, after {@code premain} and after an
 * attach, status and detach.
 */
class SecurityIT
{
    private static final int NOBODY = 65534;

    /**
     * The tool run as user nobody ({@code setpriv}) against this user's JVM (root here, as in CI):
     * {@code status} and {@code attach} fail with one line and exit 1, {@code list} does not show the
     * JVM, and the target notices nothing; the same command as the JVM's own user works.
     */
    @ParameterizedTest
    @EnumSource(Jdk.class)
    void attachingAsAnotherUserFailsWithOneLine(final Jdk jdk, @TempDir final Path dir) throws Exception
    {
        assumeTrue("root".equals(System.getProperty("user.name")), "setpriv to another user needs root");
        // A copy nobody can read, wherever the build tree is.
        final Path shared = Files.createDirectory(dir.resolve("shared"),
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        final Path agentJar = Files.copy(ChildJvm.AGENT_JAR, shared.resolve("relaytrace-agent.jar"), StandardCopyOption.COPY_ATTRIBUTES);
        Files.setPosixFilePermissions(agentJar, PosixFilePermissions.fromString("rw-r--r--"));

        final ChildJvm target = ChildJvm.startIn(Files.createDirectory(dir.resolve("target-cwd")), jdk, "interactive");
        final String pid = Long.toString(target.pid());
        final Path trace = dir.resolve("never");
        try
        {
            target.awaitLine("ready");
            final String refused = "relaytrace: cannot attach to pid " + pid + " (Operation not permitted); give the pid of a " +
                "running JVM of the same user (see: list)";
            for (final List<String> args : List.of(List.of("status", pid), List.of("attach", pid, "include=com.acme.**,output=" + trace)))
            {
                final ChildJvm asNobody = asNobody(jdk, shared, agentJar, args);
                assertEquals(List.of(refused), asNobody.stderr(), () -> args + ": " + asNobody.stdout());
                assertEquals(List.of(), asNobody.stdout());
                assertEquals(1, asNobody.exitCode());
            }
            final ChildJvm list = asNobody(jdk, shared, agentJar, List.of("list"));
            assertEquals(0, list.exitCode());
            assertFalse(list.stdout().stream().anyMatch(line -> line.startsWith(pid + " ")), () -> "listed: " + list.stdout());

            final ChildJvm sameUser = ChildJvm.agentCommand(jdk, "status", pid);
            assertEquals(List.of("no relaytrace agent loaded"), sameUser.stdout(), () -> "stderr=" + sameUser.stderr());
            target.send("run");
            target.awaitLine("done checksum=");
        }
        finally
        {
            target.closeStdin();
            target.await();
        }
        assertEquals(0, target.exitCode());
        assertEquals(List.of(), target.stderr(), "the target noticed nothing");
        assertFalse(Files.exists(trace));
    }

    /**
     * Sockets of the target, as {@code /proc/PID/fd} and the kernel's tables (tcp, tcp6, udp, udp6,
     * raw, raw6, unix) show them, compared with an untraced JVM at the same point (which has also
     * written a file through a {@code FileChannel}, as the agent's runtime does: on JDK 17 that
     * leaves the JDK's own unnamed, connected unix socket, one end of a pair kept for closing file
     * channels, in every JVM that uses one): with
     * {@code -javaagent} after a run, and after attach, run, status and detach against a JVM that
     * was only asked for its status (which starts the JVM's own attach listener, a unix socket).
     */
    @ParameterizedTest
    @EnumSource(Jdk.class)
    void theAgentOpensNoSocket(final Jdk jdk, @TempDir final Path dir) throws Exception
    {
        final Map<Scenario, List<String>> sockets = new java.util.EnumMap<>(Scenario.class);
        for (final Scenario scenario : Scenario.values())
        {
            sockets.put(scenario, socketsAfter(jdk, scenario, Files.createDirectory(dir.resolve(scenario.name()))));
        }
        System.out.println("SecurityIT " + jdk + ": " + sockets);

        assertEquals(sockets.get(Scenario.UNTRACED), sockets.get(Scenario.PREMAIN), "-javaagent: no socket of its own");
        assertEquals(sockets.get(Scenario.STATUS_ONLY), sockets.get(Scenario.ATTACHED),
            "attach, status, detach: nothing beyond the JVM's own attach listener");
        assertTrue(sockets.get(Scenario.STATUS_ONLY).stream().allMatch(s -> s.startsWith("unix ")),
            () -> "the JVM's attach listener is a unix socket: " + sockets);
    }

    /** What the target goes through before its sockets are listed. */
    private enum Scenario
    {
        /** A run, no agent. */
        UNTRACED,
        /** A run, with {@code -javaagent}. */
        PREMAIN,
        /** A run, then the tool's {@code status}: an attach that loads no agent (the JVM starts its attach listener). */
        STATUS_ONLY,
        /** The tool's {@code attach}, a run, {@code status}, {@code detach}. */
        ATTACHED
    }

    /** @return the sockets the target holds at the end of the scenario, described without inode numbers or pid. */
    private static List<String> socketsAfter(final Jdk jdk, final Scenario scenario, final Path cwd) throws Exception
    {
        final ChildJvm target = scenario == Scenario.PREMAIN
            ? ChildJvm.start(jdk, "include=com.acme.**,output=" + cwd.resolve("t"), "interactive")
            : ChildJvm.startIn(cwd, jdk, "interactive");
        final String pid = Long.toString(target.pid());
        try
        {
            target.awaitLine("ready");
            // What the agent's runtime does too: on JDK 17 the JDK keeps a socket pair's end for closing file channels.
            target.send("file");
            target.awaitLine("file written");
            if (scenario == Scenario.ATTACHED)
            {
                final ChildJvm attach = ChildJvm.agentCommand(jdk, "attach", pid, "include=com.acme.**,output=" + cwd.resolve("t"));
                assertEquals(0, attach.exitCode(), () -> "stderr=" + attach.stderr());
            }
            target.send("run");
            target.awaitLine("done checksum=");
            if (scenario == Scenario.STATUS_ONLY || scenario == Scenario.ATTACHED)
            {
                assertEquals(0, ChildJvm.agentCommand(jdk, "status", pid).exitCode());
            }
            if (scenario == Scenario.ATTACHED)
            {
                assertEquals(0, ChildJvm.agentCommand(jdk, "detach", pid).exitCode());
            }
            return sockets(target.pid());
        }
        finally
        {
            target.closeStdin();
            target.await();
        }
    }

    /** @return each socket the process holds: its table, state and local address or path; sorted. */
    static List<String> sockets(final long pid) throws IOException
    {
        final Map<String, String> byInode = new HashMap<>();
        for (final String table : List.of("tcp", "tcp6", "udp", "udp6", "raw", "raw6"))
        {
            final List<String> lines = Files.readAllLines(Path.of("/proc/" + pid + "/net/" + table));
            for (final String line : lines.subList(1, lines.size()))
            {
                // sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode
                final String[] f = line.trim().split("\\s+");
                byInode.put(f[9], table + " local=" + f[1] + " remote=" + f[2] + " state=" + f[3]);
            }
        }
        final List<String> unix = Files.readAllLines(Path.of("/proc/" + pid + "/net/unix"));
        for (final String line : unix.subList(1, unix.size()))
        {
            // Num RefCount Protocol Flags Type St Inode [Path]
            final String[] f = line.trim().split("\\s+");
            final String path = f.length > 7 ? f[7].replace(Long.toString(pid), "<pid>") : "";
            byInode.put(f[6], "unix flags=" + f[3] + " type=" + f[4] + " state=" + f[5] + " path=" + path);
        }
        final List<String> sockets = new ArrayList<>();
        try (Stream<Path> fds = Files.list(Path.of("/proc/" + pid + "/fd")))
        {
            for (final Path fd : fds.toList())
            {
                final String target;
                try
                {
                    target = Files.readSymbolicLink(fd).toString();
                }
                catch (final NoSuchFileException ex)
                {
                    continue; // closed meanwhile
                }
                if (target.startsWith("socket:["))
                {
                    final String inode = target.substring("socket:[".length(), target.length() - 1);
                    sockets.add(byInode.getOrDefault(inode, "other (netlink or another family)"));
                }
            }
        }
        sockets.sort(null);
        return sockets;
    }

    private static ChildJvm asNobody(final Jdk jdk, final Path cwd, final Path agentJar, final List<String> args) throws Exception
    {
        final List<String> command = new ArrayList<>(List.of("setpriv", "--reuid=" + NOBODY, "--regid=" + NOBODY, "--clear-groups",
            jdk.java(), "-XX:-UsePerfData", "-jar", agentJar.toString()));
        command.addAll(args);
        return ChildJvm.execIn(cwd, command);
    }
}
