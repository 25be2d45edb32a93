package io.relaytrace.viewer.command;

import io.relaytrace.viewer.Cli;
import io.relaytrace.viewer.ExitCodes;
import io.relaytrace.viewer.KnownWorkload;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@code export --format chrome} opened by a real consumer: the trace engine of Chrome DevTools'
 * Performance panel (npm {@code @paulirish/trace_engine}, pinned in {@code src/test/node}), run by
 * Node.js. It must find the process and one named track per thread, virtual threads included,
 * with one slice per call, nested as the calls were. Perfetto's trace processor and chrome://tracing's importer are not
 * published in any registry this project can use (see the README).
 */
class ChromeTraceEngineTest
{
    private static final Path SOURCES = Path.of("src/test/node");
    private static final Path INSTALL = Path.of("target/chrome-trace-check");
    private static final Pattern THREAD = Pattern.compile("thread (\\d+) (\\d+) (\\d+) (\\d+) (.*)");

    @TempDir
    static Path shared;
    static Path workload;

    @BeforeAll
    static void install() throws Exception
    {
        assumeTrue(run(List.of("sh", "-c", "command -v node && command -v npm"), Path.of("."), 30).status == 0,
            "Node.js and npm are not installed (Debian packages nodejs, npm)");
        if (!Files.isDirectory(INSTALL.resolve("node_modules/@paulirish/trace_engine")))
        {
            Files.createDirectories(INSTALL);
            for (final String name : List.of("package.json", "package-lock.json", "chrome-trace-check.mjs"))
            {
                Files.copy(SOURCES.resolve(name), INSTALL.resolve(name), StandardCopyOption.REPLACE_EXISTING);
            }
            final Result npm = run(List.of("npm", "ci", "--no-audit", "--no-fund", "--omit-lockfile-registry-resolved"),
                INSTALL, 300);
            assertEquals(0, npm.status, () -> "npm ci of the pinned trace engine failed:\n" + npm.output);
        }
        Files.copy(SOURCES.resolve("chrome-trace-check.mjs"), INSTALL.resolve("chrome-trace-check.mjs"),
            StandardCopyOption.REPLACE_EXISTING);
        workload = shared.resolve("workload");
        KnownWorkload.write(workload);
    }

    private record Result(int status, String output)
    {
    }

    private static Result run(final List<String> command, final Path dir, final int seconds) throws Exception
    {
        final Path output = Files.createTempFile("chrome-trace-check", ".out");
        try
        {
            final Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(output.toFile()).start();
            if (!process.waitFor(seconds, TimeUnit.SECONDS))
            {
                process.destroyForcibly();
                fail(command + " did not finish within " + seconds + " s");
            }
            return new Result(process.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
        }
        finally
        {
            Files.deleteIfExists(output);
        }
    }

    @Test
    void theDevToolsTraceEngineShowsOneNamedTrackPerThreadWithOneSlicePerCall() throws Exception
    {
        final Path json = shared.resolve("workload.json");
        final Cli export = Cli.run("export", workload.toString(), "--format", "chrome", "-o", json.toString());
        assertEquals(ExitCodes.OK, export.status(), export::toString);

        final Result engine = run(List.of("node", "chrome-trace-check.mjs", json.toAbsolutePath().toString()), INSTALL, 120);
        assertEquals(0, engine.status, engine.output);
        final List<String> lines = engine.output.lines().toList();
        final String process = lines.get(0);
        final Matcher pid = Pattern.compile("process (\\d+) relaytrace pid (\\d+)").matcher(process);
        assertTrue(pid.matches() && pid.group(1).equals(pid.group(2)), engine.output);

        final List<String> names = new ArrayList<>();
        long slices = 0;
        for (final String line : lines.subList(1, lines.size()))
        {
            final Matcher m = THREAD.matcher(line);
            assertTrue(m.matches(), line);
            assertEquals(pid.group(1), m.group(1), line);
            final String name = m.group(5);
            assertEquals("2", m.group(4), "checkout calls add and price: two levels, " + line);
            final boolean virtual = name.startsWith("virtual-");
            assertEquals((virtual ? name.substring(0, "virtual-0".length()) : name.substring(0, "platform-0".length())) +
                "#" + m.group(2) + (virtual ? " (virtual)" : ""), name, "track name of " + line);
            // Five calls an iteration, each one slice.
            assertEquals(5L * (virtual ? KnownWorkload.VIRTUAL_ITERATIONS : KnownWorkload.PLATFORM_ITERATIONS),
                Long.parseLong(m.group(3)), line);
            names.add(name.substring(0, name.indexOf('#')));
            slices += Long.parseLong(m.group(3));
        }
        names.sort(null);
        assertEquals(List.of("platform-0", "platform-1", "virtual-0", "virtual-1", "virtual-2", "virtual-3", "virtual-4",
            "virtual-5"), names, engine.output);
        assertEquals(KnownWorkload.EVENTS / 2, slices);
    }
}
