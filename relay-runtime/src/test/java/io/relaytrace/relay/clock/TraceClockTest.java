package io.relaytrace.relay.clock;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The trace clock on this JVM (the tests run with {@code java.lang.invoke} opened, as the agent
 * opens it): which source it picks, that it stays on {@code System.nanoTime()}'s time line, and that
 * one thread never sees it go back.
 */
class TraceClockTest
{
    /** The conditions TscLink checks, read here independently. */
    private static boolean counterUsable() throws IOException
    {
        final String arch = System.getProperty("os.arch");
        if (!System.getProperty("os.name").equals("Linux") || !(arch.equals("amd64") || arch.equals("x86_64")) ||
            Runtime.version().feature() < 22)
        {
            return false;
        }
        final String flags = Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
            .filter(l -> l.startsWith("flags")).findFirst().orElse("") + " ";
        final String source = Files.readString(Path.of("/sys/devices/system/clocksource/clocksource0/current_clocksource")).trim();
        return flags.contains(" constant_tsc ") && flags.contains(" nonstop_tsc ") && source.equals("tsc");
    }

    @Test
    @Timeout(60)
    void picksTheCounterExactlyWhereItIsSafe() throws Exception
    {
        final String source = TraceClock.awaitSource(30_000);
        if (counterUsable())
        {
            assertEquals("tsc", source);
        }
        else
        {
            assertTrue(source.startsWith("nanotime ("), source);
        }
    }

    /** Linking takes a while (the foreign function API's first use): meanwhile nanoTime serves, and the switch does not step back. */
    @Test
    @Timeout(60)
    void switchesOverWithoutSteppingBack() throws Exception
    {
        long previous = TraceClock.now();
        long worstStepBack = 0;
        while (TraceClock.source().startsWith("tsc pending"))
        {
            final long now = TraceClock.now();
            worstStepBack = Math.max(worstStepBack, previous - now);
            previous = now;
        }
        for (int i = 0; i < 1_000_000; i++)
        {
            final long now = TraceClock.now();
            worstStepBack = Math.max(worstStepBack, previous - now);
            previous = now;
        }
        assertEquals(0, worstStepBack, "stepped back by " + worstStepBack + " ns at the switch-over");
    }

    @Test
    @Timeout(60)
    void staysOnTheNanoTimeLine() throws Exception
    {
        TraceClock.awaitSource(30_000);
        // Three fits a second apart: each measures the offset the line had drifted to before it.
        long worst = 0;
        for (int i = 0; i < 3; i++)
        {
            Thread.sleep(1000);
            worst = Math.max(worst, Math.abs(TraceClock.calibrate(true)));
        }
        // A 2 ms first fit is good to a few parts in 10^5, so a second's drift is tens of
        // microseconds; a millisecond would mean a wrong rate, not noise.
        assertTrue(worst < 1_000_000, "offset from System.nanoTime() after a second: " + worst + " ns");
        final long before = System.nanoTime();
        final long now = TraceClock.now();
        final long after = System.nanoTime();
        assertTrue(now >= before - 1_000_000 && now <= after + 1_000_000,
            "now=" + now + " outside nanoTime [" + before + ", " + after + "] by more than 1 ms");
    }

    @Test
    @Timeout(120)
    void neverGoesBackOnOneThreadEvenWhileRecalibrated() throws Exception
    {
        TraceClock.awaitSource(30_000);
        final AtomicBoolean reading = new AtomicBoolean(true);
        final Thread calibrator = new Thread(() ->
        {
            while (reading.get())
            {
                TraceClock.calibrate(true);
                Thread.onSpinWait();
            }
        });
        calibrator.start();
        long worstStepBack = 0;
        long previous = TraceClock.now();
        try
        {
            for (int i = 0; i < 20_000_000; i++)
            {
                final long now = TraceClock.now();
                worstStepBack = Math.max(worstStepBack, previous - now);
                previous = now;
            }
        }
        finally
        {
            reading.set(false);
            calibrator.join();
        }
        // A refit (here about every 10 ms, the switch lead) changes the slope only ahead of every
        // reading already taken; a nanosecond of rounding is all that may show. (A reader held up
        // for over 10 ms between its counter read and the conversion could see up to 1 us; it
        // would take a preemption at exactly that instruction.)
        assertTrue(worstStepBack <= 1, "stepped back by " + worstStepBack + " ns");
    }
}
