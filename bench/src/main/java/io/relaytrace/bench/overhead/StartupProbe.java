package io.relaytrace.bench.overhead;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.relaytrace.bench.overhead.workloads.StartToMain;

/**
 * JVM start to main, with and without the agent (one include pattern: the trivial main's class):
 * the time from just before the process is started until the wall clock {@link StartToMain} prints
 * as its first act. Runs alternate (agent first on odd runs) so drift in the machine's load hits both.
 */
final class StartupProbe
{
    private final ToolPaths tools;
    private final Path workDir;

    StartupProbe(final ToolPaths tools, final Path workDir)
    {
        this.tools = tools;
        this.workDir = workDir;
    }

    /** @return {@code [withoutAgentMicros[], withAgentMicros[]]}, one entry per run. */
    long[][] measure(final int runs) throws IOException, InterruptedException
    {
        final long[] without = new long[runs];
        final long[] with = new long[runs];
        for (int run = 0; run < runs; run++)
        {
            final boolean agentFirst = run % 2 == 1;
            if (agentFirst)
            {
                with[run] = startToMainMicros(true, run);
            }
            without[run] = startToMainMicros(false, run);
            if (!agentFirst)
            {
                with[run] = startToMainMicros(true, run);
            }
        }
        return new long[][] {without, with};
    }

    private long startToMainMicros(final boolean agent, final int run) throws IOException, InterruptedException
    {
        final List<String> command = new ArrayList<>(List.of(tools.java().toString()));
        if (agent)
        {
            command.add("-javaagent:" + tools.agentJar() + "=include=" + StartToMain.class.getName() +
                ",output=" + workDir.resolve("startup-" + run));
        }
        command.addAll(List.of("-cp", tools.classPath(), StartToMain.class.getName()));
        final Path out = Files.createTempFile(workDir, "startup", ".out");
        try
        {
            final Instant launched = Instant.now();
            final Process process = new ProcessBuilder(command).redirectOutput(out.toFile())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            if (!process.waitFor(2, TimeUnit.MINUTES) || process.exitValue() != 0)
            {
                process.destroyForcibly();
                throw new IOException("start-to-main run failed: agent=" + agent + " command=" + command);
            }
            final long mainAt = KeyValues.longValue(Files.readString(out, StandardCharsets.UTF_8), "mainAtMicros");
            return mainAt - (launched.getEpochSecond() * 1_000_000L + launched.getNano() / 1_000);
        }
        finally
        {
            Files.deleteIfExists(out);
        }
    }
}
