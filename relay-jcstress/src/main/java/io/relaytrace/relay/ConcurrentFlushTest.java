package io.relaytrace.relay;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.JJJ_Result;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * Two threads calling {@link RelayChannel#flush()} at once while a carrier that ended still has
 * its buffer: each flush switches that buffer ("the buffers of carriers that ended"), so the two
 * switches must not interleave on a buffer that has a single writer by design.
 * <p>
 * A buffer-only channel in no-overwrite mode, 32 content bytes (two events) per sub-buffer, four
 * sub-buffers. Each state starts a platform thread that writes events 1, 2, 3 (sub-buffer 0 holds
 * 1 and 2, sub-buffer 1 holds 3) and ends, and waits for it: its buffer stays online (a channel
 * without files never retires it). Both actors call {@code flush()}; done one after the other,
 * the first switch finishes sub-buffer 1 and enters 2, the second finishes 2 (empty) and enters 3.
 * <p>
 * The arbiter reads the buffer. r1 = sub-buffers produced, r2 = the sub-buffer entered,
 * r3 = the events read, as {@link TestEvents} digits (-1 torn). Only the outcome of the two calls
 * in either order is acceptable: anything else means both threads were inside the buffer's
 * switch at once, which its single-writer fields cannot survive (the lost events and the
 * sequence going back are what that does).
 * <p>
 * {@code RelayChannel.flush()} switches those buffers with no lock (the global buffer's switch is
 * under its monitor), so the FORBIDDEN outcomes here are a runtime bug, not a test artefact.
 */
@JCStressTest
@State
@Description("Two concurrent RelayChannel.flush() calls switching the buffer of a carrier that ended")
@Outcome(id = "3, 3, 123", expect = ACCEPTABLE, desc = "The two switches ran one after the other.")
@Outcome(id = "2, 2, 123", expect = FORBIDDEN,
    desc = "Both flushes finished sub-buffer 1 and entered 2: one switch lost, no order of the two calls gives this.")
@Outcome(id = "2, 2, 12", expect = FORBIDDEN,
    desc = "Event 3 lost: a switch took the padding of sub-buffer 2 (all of it) for finished sub-buffer 1.")
@Outcome(id = "2, 1, .*", expect = FORBIDDEN, desc = "Entered went back from 2 to 1: a switch re-entered the sub-buffer just finished.")
@Outcome(id = ".*, -1", expect = FORBIDDEN, desc = "A torn read: padding or headers of the two switches mixed.")
@Outcome(expect = FORBIDDEN, desc = "The switches interleaved: produced, entered or the events are inconsistent.")
public class ConcurrentFlushTest
{
    private final RelayChannel channel = StandaloneBuffers.channel(RelayCallbacks.discard(), 2 * TestEvents.LENGTH, 4);
    private final RelayBuffer buffer;

    public ConcurrentFlushTest()
    {
        final RelayBuffer[] written = new RelayBuffer[1];
        final Thread carrier = new Thread(() ->
        {
            final RelayBuffer own = channel.buffer();
            for (int value = 1; value <= 3; value++)
            {
                TestEvents.write(own, value);
            }
            written[0] = own;
        }, "relay-jcstress-ended-carrier");
        carrier.start();
        try
        {
            carrier.join();
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while a carrier wrote", ex);
        }
        buffer = written[0];
    }

    @Actor
    public void flusher1()
    {
        channel.flush();
    }

    @Actor
    public void flusher2()
    {
        channel.flush();
    }

    @Arbiter
    public void check(final JJJ_Result r)
    {
        r.r1 = buffer.subbufsProduced();
        r.r2 = buffer.enteredAcquire();
        final ByteBuffer dst = ByteBuffer.allocate(16 * TestEvents.LENGTH).order(ByteOrder.LITTLE_ENDIAN);
        new RelayReader(buffer).read(dst);
        r.r3 = TestEvents.decode(dst, 0, dst.position());
        BackgroundCloser.closeLater(channel, null);
    }
}
