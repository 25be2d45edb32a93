package io.relaytrace.bench.overhead;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Runs one command as a child process and measures its wall time, CPU time and peak memory.
 * <p>
 * The command runs under {@code bash -c '"$@"; times'}: bash waits for it, and its {@code times}
 * builtin then prints the user and system time the kernel accounted to the exited child (all
 * its threads), which the JDK cannot tell of a process that has already exited. Peak RSS is the
 * child's {@code VmHWM}, polled from {@code /proc} every {@value #POLL_MILLIS} ms. Assumes Linux
 * and bash on the {@code PATH}.
 * <p>
 * Example: {@code ChildProcess.run(List.of("java", "-version"), workDir, Duration.ofMinutes(1))}.
 */
final class ChildProcess
{
    private static final int POLL_MILLIS = 5;

    private ChildProcess()
    {
    }

    static ChildResult run(final List<String> command, final Path workDir, final Duration timeout)
        throws IOException, InterruptedException
    {
        final Path out = Files.createTempFile(workDir, "child", ".out");
        final Path err = Files.createTempFile(workDir, "child", ".err");
        final Path times = Files.createTempFile(workDir, "child", ".times");
        final List<String> wrapped = new ArrayList<>(List.of(
            "bash", "-c", "f=$1; shift; \"$@\"; rc=$?; times > \"$f\"; exit $rc", "child", times.toString()));
        wrapped.addAll(command);
        final ProcessBuilder builder = new ProcessBuilder(wrapped)
            .directory(workDir.toFile())
            .redirectOutput(out.toFile())
            .redirectError(err.toFile())
            .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));

        final long start = System.nanoTime();
        final Process process = builder.start();
        final AtomicLong peakRss = new AtomicLong();
        final Thread poller = Thread.ofPlatform().daemon().name("rss-poller").start(() -> pollPeakRss(process, peakRss));
        final boolean exited = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        final long wallNanos = System.nanoTime() - start;
        if (!exited)
        {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly().waitFor();
        }
        poller.interrupt();
        poller.join();
        try
        {
            if (!exited)
            {
                throw new IOException("child timed out: timeout=" + timeout + " command=" + String.join(" ", command) +
                    " stderr=" + tail(Files.readString(err)));
            }
            return new ChildResult(process.exitValue(), wallNanos, childCpuNanos(Files.readString(times)),
                peakRss.get(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
        }
        finally
        {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
            Files.deleteIfExists(times);
        }
    }

    /** @return the last 2,000 characters of {@code text}: enough to say why a child failed. */
    static String tail(final String text)
    {
        return text.length() <= 2_000 ? text : text.substring(text.length() - 2_000);
    }

    private static void pollPeakRss(final Process process, final AtomicLong peakRss)
    {
        long pid = -1;
        while (process.isAlive())
        {
            if (pid < 0)
            {
                final Optional<ProcessHandle> child = process.children().findFirst();
                pid = child.map(ProcessHandle::pid).orElse(-1L);
            }
            if (pid > 0)
            {
                final long hwm = readVmHwmKiB(pid);
                if (hwm > peakRss.get())
                {
                    peakRss.set(hwm);
                }
            }
            try
            {
                Thread.sleep(POLL_MILLIS);
            }
            catch (final InterruptedException ex)
            {
                return;
            }
        }
    }

    private static long readVmHwmKiB(final long pid)
    {
        try
        {
            for (final String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status")))
            {
                if (line.startsWith("VmHWM:"))
                {
                    return Long.parseLong(line.substring("VmHWM:".length()).replace("kB", "").trim());
                }
            }
        }
        catch (final IOException | NumberFormatException ex)
        {
            // The process exited between two polls: keep the last value read.
        }
        return -1;
    }

    /** Parses bash's {@code times}: line 1 the shell's user and system time, line 2 its children's ({@code 0m1.234s 0m0.056s}). */
    static long childCpuNanos(final String times)
    {
        final String[] lines = times.strip().split("\n");
        if (lines.length < 2)
        {
            return -1;
        }
        long nanos = 0;
        for (final String field : lines[1].trim().split("\\s+"))
        {
            final int m = field.indexOf('m');
            final double minutes = Double.parseDouble(field.substring(0, m));
            final double seconds = Double.parseDouble(field.substring(m + 1, field.length() - 1));
            nanos += Math.round((minutes * 60 + seconds) * 1e9);
        }
        return nanos;
    }
}
