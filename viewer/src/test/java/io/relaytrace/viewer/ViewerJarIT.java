package io.relaytrace.viewer;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The shaded jar as users run it, {@code java -jar relaytrace-viewer.jar ...}, in child JVMs: with
 * the JDK that runs the build and with a JDK 17 (the jar's minimum) when this machine has one.
 */
class ViewerJarIT
{
    private static final Path JAR = Path.of(System.getProperty("relaytrace.viewer.jar", "target/relaytrace-viewer.jar"));

    @TempDir
    static Path shared;
    static Path workload;

    @BeforeAll
    static void writeWorkload() throws Exception
    {
        assertTrue(Files.isRegularFile(JAR), "the shaded jar is built: " + JAR);
        workload = shared.resolve("workload");
        KnownWorkload.write(workload);
    }

    private record Run(int status, String out, String err)
    {
    }

    private static Run run(final String java, final String... args) throws Exception
    {
        final List<String> command = new ArrayList<>(List.of(java, "-jar", JAR.toString()));
        command.addAll(List.of(args));
        final Path out = Files.createTempFile(shared, "out", ".txt");
        final Path err = Files.createTempFile(shared, "err", ".txt");
        final Process process = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertTrue(process.waitFor(120, TimeUnit.SECONDS), "viewer finished");
        return new Run(process.exitValue(), Files.readString(out), Files.readString(err));
    }

    /** @return the java launcher of a JDK 17 under /usr/lib/jvm or $JAVA17_HOME, or null. */
    private static String jdk17() throws IOException
    {
        final List<Path> homes = new ArrayList<>();
        final String env = System.getenv("JAVA17_HOME");
        if (env != null)
        {
            homes.add(Path.of(env));
        }
        final Path jvms = Path.of("/usr/lib/jvm");
        if (Files.isDirectory(jvms))
        {
            try (Stream<Path> dirs = Files.list(jvms))
            {
                homes.addAll(dirs.sorted().toList());
            }
        }
        for (final Path home : homes)
        {
            final Path release = home.resolve("release");
            if (Files.isRegularFile(release) && Files.readString(release).contains("JAVA_VERSION=\"17") &&
                Files.isExecutable(home.resolve("bin/java")))
            {
                return home.resolve("bin/java").toString();
            }
        }
        return null;
    }

    private static void checkJar(final String java) throws Exception
    {
        final Run help = run(java, "--help");
        assertEquals(ExitCodes.OK, help.status(), help::toString);
        assertTrue(help.out().startsWith("Usage: relaytrace-viewer"), help.out());

        final Run summary = run(java, "summary", "--json", workload.toString());
        assertEquals(ExitCodes.OK, summary.status(), summary::toString);
        assertEquals("", summary.err());
        assertTrue(summary.out().startsWith("{\"events\":" + KnownWorkload.EVENTS + ",\"lost\":0,\"dropped\":0,\"threads\":" +
            KnownWorkload.THREADS + ",\"virtualThreads\":" + KnownWorkload.VIRTUAL_THREADS + ",\"incomplete\":false,"), summary.out());
        assertTrue(summary.out().contains("{\"method\":\"" + KnownWorkload.ADD_NAME + "\",\"calls\":" +
            KnownWorkload.ITERATIONS * 2 + ",\"exceptions\":0,"), summary.out());

        final Path json = Files.createTempFile(shared, "chrome", ".json");
        final Run chrome = run(java, "export", workload.toString(), "--format", "chrome", "-o", json.toString());
        assertEquals(ExitCodes.OK, chrome.status(), chrome::toString);
        assertTrue(Files.readString(json).startsWith("{\"traceEvents\":[\n{\"name\":"), "chrome JSON");
        final Path ctf = Files.createTempDirectory(shared, "ctf");
        final Run ctfRun = run(java, "export", workload.toString(), "--format", "ctf", "-o", ctf.toString());
        assertEquals(ExitCodes.OK, ctfRun.status(), ctfRun::toString);
        assertTrue(Files.readString(ctf.resolve("metadata")).startsWith("/* CTF 1.8 */"));
        final Path html = Files.createTempFile(shared, "report", ".html");
        final Run report = run(java, "report", workload.toString(), "-o", html.toString());
        assertEquals(ExitCodes.OK, report.status(), report::toString);
        assertTrue(Files.readString(html).contains("<svg class=\"flamegraph\""), "report");
        final Run follow = run(java, "follow", workload.toString(), "--json");
        assertEquals(ExitCodes.OK, follow.status(), follow::toString);
        assertEquals(summary.out(), follow.out(), "a closed trace: one update, the summary");

        final Run check = run(java, "check", workload.toString());
        assertEquals(ExitCodes.OK, check.status(), check::toString);
        assertTrue(check.out().endsWith("status: intact\n"), check.out());

        final Run notATrace = run(java, "check", shared.toString() + "/nowhere");
        assertEquals(ExitCodes.USAGE, notATrace.status());
        assertEquals("", notATrace.out());
        assertEquals(1, notATrace.err().lines().count(), notATrace.err());

        final Run badOption = run(java, "tree", workload.toString(), "--depth", "3");
        assertEquals(ExitCodes.USAGE, badOption.status());
        assertEquals("relaytrace-viewer: Unknown options: '--depth', '3' (see --help)\n", badOption.err());
    }

    @Test
    void runsOnTheBuildJdk() throws Exception
    {
        checkJar(ProcessHandle.current().info().command().orElseThrow());
    }

    @Test
    void runsOnJdk17() throws Exception
    {
        final String java = jdk17();
        Assumptions.assumeTrue(java != null, "no JDK 17 on this machine");
        checkJar(java);
    }
}
