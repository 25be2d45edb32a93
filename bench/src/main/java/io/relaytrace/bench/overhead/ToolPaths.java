package io.relaytrace.bench.overhead;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipFile;

/**
 * Where the tools are: the JDK running the harness (its {@code java} and {@code jfr} run every
 * child), copies of the agent and viewer jars, the harness's own class path (the workloads), and
 * async-profiler's native library, extracted at run time from the {@code tools.profiler:async-profiler}
 * jar on the class path ({@value #ASYNC_PROFILER_RESOURCE}).
 * <p>
 * The jars are copied into the work directory once, at the start, after checking that each opens
 * as a whole jar: a build of the agent or viewer running beside a long harness run then cannot
 * swap a jar under it halfway. A jar being rewritten when the harness starts is waited for (up to
 * {@value #JAR_WAIT_SECONDS} s).
 */
record ToolPaths(Path java, Path jfr, Path agentJar, Path viewerJar, String classPath, Path asyncProfilerLibrary)
{
    static final String ASYNC_PROFILER_RESOURCE = "linux-x64/libasyncProfiler.so";
    private static final int JAR_WAIT_SECONDS = 60;

    /** @throws IllegalArgumentException naming the missing file. */
    static ToolPaths locate(final Path agentJar, final Path viewerJar, final Path workDir) throws IOException
    {
        final Path bin = Path.of(System.getProperty("java.home"), "bin");
        final Path tools = Files.createDirectories(workDir.resolve("tools"));
        final Path agentCopy = snapshot(agentJar, tools, "agent jar");
        final Path viewerCopy = snapshot(viewerJar, tools, "viewer jar");
        final String classPath = Path.of(ToolPaths.class.getProtectionDomain().getCodeSource().getLocation().getPath()).toString();
        return new ToolPaths(bin.resolve("java"), bin.resolve("jfr"), agentCopy, viewerCopy, classPath,
            extractAsyncProfiler(tools));
    }

    /** @return a copy of {@code jar} in {@code dir} that opened as a whole jar. */
    private static Path snapshot(final Path jar, final Path dir, final String what) throws IOException
    {
        final Path copy = dir.resolve(jar.getFileName());
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(JAR_WAIT_SECONDS);
        while (true)
        {
            try
            {
                Files.copy(jar, copy, StandardCopyOption.REPLACE_EXISTING);
                try (ZipFile zip = new ZipFile(copy.toFile()))
                {
                    if (zip.getEntry("META-INF/MANIFEST.MF") != null)
                    {
                        return copy;
                    }
                }
            }
            catch (final IOException ex)
            {
                // Missing or half written: another build is rewriting it; wait below.
            }
            if (System.nanoTime() > deadline)
            {
                throw new IllegalArgumentException(what + " not found or not a whole jar after " + JAR_WAIT_SECONDS +
                    " s: path=" + jar + " (build it: mvn -o -q -B -pl viewer,agent package -DskipTests)");
            }
            sleepOneSecond();
        }
    }

    private static void sleepOneSecond() throws IOException
    {
        try
        {
            Thread.sleep(1_000);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted waiting for a jar", ex);
        }
    }

    private static Path extractAsyncProfiler(final Path dir) throws IOException
    {
        try (InputStream in = ToolPaths.class.getClassLoader().getResourceAsStream(ASYNC_PROFILER_RESOURCE))
        {
            if (in == null)
            {
                throw new IllegalArgumentException("async-profiler native library not on the class path: resource=" +
                    ASYNC_PROFILER_RESOURCE + "; accepted: the tools.profiler:async-profiler:4.4 jar on the class path");
            }
            final Path library = dir.resolve("libasyncProfiler.so");
            Files.copy(in, library, StandardCopyOption.REPLACE_EXISTING);
            return library;
        }
    }

}
