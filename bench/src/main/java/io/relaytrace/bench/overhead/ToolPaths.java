package io.relaytrace.bench.overhead;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Where the tools are: the JDK running the harness (its {@code java} and {@code jfr} run every
 * child), the agent and viewer jars, the harness's own class path (the workloads), and
 * async-profiler's native library, extracted at run time from the {@code tools.profiler:async-profiler}
 * jar on the class path ({@value #ASYNC_PROFILER_RESOURCE}).
 */
record ToolPaths(Path java, Path jfr, Path agentJar, Path viewerJar, String classPath, Path asyncProfilerLibrary)
{
    static final String ASYNC_PROFILER_RESOURCE = "linux-x64/libasyncProfiler.so";

    /** @throws IllegalArgumentException naming the missing file. */
    static ToolPaths locate(final Path agentJar, final Path viewerJar, final Path workDir) throws IOException
    {
        final Path bin = Path.of(System.getProperty("java.home"), "bin");
        requireFile(agentJar, "agent jar (build it: mvn -o -q -B -pl viewer,agent package -DskipTests)");
        requireFile(viewerJar, "viewer jar (build it: mvn -o -q -B -pl viewer,agent package -DskipTests)");
        final String classPath = Path.of(ToolPaths.class.getProtectionDomain().getCodeSource().getLocation().getPath()).toString();
        return new ToolPaths(bin.resolve("java"), bin.resolve("jfr"), agentJar.toAbsolutePath(), viewerJar.toAbsolutePath(),
            classPath, extractAsyncProfiler(workDir));
    }

    private static Path extractAsyncProfiler(final Path workDir) throws IOException
    {
        try (InputStream in = ToolPaths.class.getClassLoader().getResourceAsStream(ASYNC_PROFILER_RESOURCE))
        {
            if (in == null)
            {
                throw new IllegalArgumentException("async-profiler native library not on the class path: resource=" +
                    ASYNC_PROFILER_RESOURCE + "; accepted: the tools.profiler:async-profiler:4.4 jar on the class path");
            }
            final Path dir = Files.createTempDirectory(workDir, "async-profiler");
            final Path library = dir.resolve("libasyncProfiler.so");
            Files.copy(in, library, StandardCopyOption.REPLACE_EXISTING);
            return library;
        }
    }

    private static void requireFile(final Path file, final String what)
    {
        if (!Files.isRegularFile(file))
        {
            throw new IllegalArgumentException(what + " not found: path=" + file);
        }
    }
}
