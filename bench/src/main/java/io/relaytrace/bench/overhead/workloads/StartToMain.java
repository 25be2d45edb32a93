package io.relaytrace.bench.overhead.workloads;

import java.time.Instant;

/**
 * A trivial main for the start-up figure: prints {@code mainAtMicros=U}, the wall clock in
 * microseconds since the epoch when main began, so the launcher can tell JVM start (plus any
 * agent's premain) to main from the time it started the process.
 */
public final class StartToMain
{
    private StartToMain()
    {
    }

    public static void main(final String[] args)
    {
        final Instant now = Instant.now();
        System.out.println("mainAtMicros=" + (now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000));
    }
}
