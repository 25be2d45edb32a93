package io.relaytrace.relay;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.JJ_Result;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * Writer against {@link RelayReader#read}: the reader returns only committed, whole events, each
 * once, in order.
 * <p>
 * Geometry: 32 content bytes (two events) per sub-buffer, two sub-buffers, no-overwrite mode. The
 * state is warmed first, as a buffer is in steady state: events 1..4 written (sub-buffer 0 holds 1
 * and 2, sub-buffer 1 holds 3 and 4, full but not finished) and read. So the writer's event 5
 * finishes sub-buffer 1 and enters sub-buffer 2 in slot 0, which still holds the bytes and the
 * committed length of consumed events 1 and 2: the reader must never take those for new data.
 * <p>
 * The writer writes events 5 and 6 (reserve, three stores, commit). The reader reads once; the
 * arbiter, after both, reads the rest with the same reader. r1 = what the reader actor got,
 * r2 = what the arbiter got, as {@link TestEvents} digits (-1 torn).
 */
@JCStressTest
@State
@Description("RelayBuffer reserve/commit against RelayReader.read on a warmed buffer (slot reuse)")
@Outcome(id = "0, 56", expect = ACCEPTABLE, desc = "Reader ran before event 5 was committed; the arbiter gets both.")
@Outcome(id = "5, 6", expect = ACCEPTABLE, desc = "Reader saw event 5 committed, not 6.")
@Outcome(id = "56, 0", expect = ACCEPTABLE, desc = "Reader saw both events.")
@Outcome(id = "12, .*", expect = FORBIDDEN,
    desc = "Reader returned consumed events 1 and 2 again: it took the reused slot's old committed length for the new sub-buffer's.")
@Outcome(id = "52, .*", expect = FORBIDDEN,
    desc = "Reader returned event 5 then old event 2: the reused slot's old committed length again.")
@Outcome(id = "-1, .*", expect = FORBIDDEN, desc = "Reader returned a torn or not yet committed event.")
@Outcome(expect = FORBIDDEN, desc = "Events lost, repeated or out of order.")
public class WriterReaderTest
{
    private static final RelayChannel CHANNEL = StandaloneBuffers.channel(RelayCallbacks.discard(), 2 * TestEvents.LENGTH, 2);

    private final RelayBuffer buffer = StandaloneBuffers.buffer(CHANNEL);
    private final RelayReader reader = new RelayReader(buffer);
    private final ByteBuffer readerDst = ByteBuffer.allocate(8 * TestEvents.LENGTH).order(ByteOrder.LITTLE_ENDIAN);

    public WriterReaderTest()
    {
        for (int value = 1; value <= 4; value++)
        {
            TestEvents.write(buffer, value);
        }
        final ByteBuffer warm = ByteBuffer.allocate(8 * TestEvents.LENGTH).order(ByteOrder.LITTLE_ENDIAN);
        final int read = reader.read(warm);
        if (TestEvents.decode(warm, 0, read) != 1234 || buffer.subbufsConsumed() != 1)
        {
            throw new IllegalStateException("warm-up read=" + read + " consumed=" + buffer.subbufsConsumed() +
                ": expected events 1234 and sub-buffer 0 consumed");
        }
    }

    @Actor
    public void writer()
    {
        TestEvents.write(buffer, 5);
        TestEvents.write(buffer, 6);
    }

    @Actor
    public void reader(final JJ_Result r)
    {
        final int read = reader.read(readerDst);
        r.r1 = TestEvents.decode(readerDst, 0, read);
    }

    @Arbiter
    public void rest(final JJ_Result r)
    {
        final ByteBuffer dst = ByteBuffer.allocate(8 * TestEvents.LENGTH).order(ByteOrder.LITTLE_ENDIAN);
        final int read = reader.read(dst);
        r.r2 = TestEvents.decode(dst, 0, read);
    }
}
