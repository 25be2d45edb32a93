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
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * Overwrite mode, a writer lapping a {@link RelayReader} while it copies: each sub-buffer comes out
 * whole, as a prefix followed by a counted loss, or not at all (counted), never mixed with the
 * sub-buffer that replaced it.
 * <p>
 * Geometry: 40 content bytes per sub-buffer (two 16-byte events and 8 bytes of padding, so a
 * finished sub-buffer has a padding that its next occupant resets), two sub-buffers,
 * {@link RelayCallbacks#overwrite()}. The writer writes events 1..8: sub-buffer s holds events
 * 2s+1 and 2s+2, so slot 0 holds sub-buffers 0 then 2, slot 1 holds 1 then 3. Sub-buffers 0 and 1
 * may be lapped; 2 and 3 never are (the writer stops in 3).
 * <p>
 * The reader actor reads once; the arbiter, after both, reads the rest with the same reader.
 * r1 = every event delivered, in order, as {@link TestEvents} digits (-1 torn); r2 = sub-buffers
 * the reader counted lost. Every sub-buffer not delivered whole is counted lost. One delivered whole
 * may be counted too: the reader took all its events while it was still being written (a partial
 * read), and it was lapped before the reader saw it finished, so the reader cannot know nothing
 * was left in it. A second cause gives the same outcome: after a copy that passed its lap check,
 * {@code RelayReader.advance} reads the finished sub-buffer's padding again, and a writer that has
 * just re-entered the slot has reset it to 0, so the reader does not consume the sub-buffer it
 * read to the end and counts it lost at the next lap. That over-count is accepted as interesting;
 * the event counts in block headers (Events Before), not this counter, tell exactly how many
 * events were lost.
 */
@JCStressTest
@State
@Description("Overwrite mode: RelayReader.read against a writer lapping it (seqlock on entered)")
@Outcome(id = "12345678, 0", expect = ACCEPTABLE, desc = "Reader kept up: nothing lapped.")
@Outcome(id = "1235678, 1", expect = ACCEPTABLE, desc = "Sub-buffer 1 lapped after its first event was read.")
@Outcome(id = "125678, 1", expect = ACCEPTABLE, desc = "Sub-buffer 1 lapped before it was read.")
@Outcome(id = "1345678, 1", expect = ACCEPTABLE, desc = "Sub-buffer 0 lapped after its first event was read.")
@Outcome(id = "135678, 2", expect = ACCEPTABLE, desc = "Sub-buffers 0 and 1 each lapped after their first event was read.")
@Outcome(id = "15678, 2", expect = ACCEPTABLE, desc = "Sub-buffer 0 lapped after one event was read, 1 before it was read.")
@Outcome(id = "345678, 1", expect = ACCEPTABLE, desc = "Sub-buffer 0 lapped before it was read.")
@Outcome(id = "35678, 2", expect = ACCEPTABLE, desc = "Sub-buffer 0 lapped, sub-buffer 1 lapped after its first event.")
@Outcome(id = "5678, 2", expect = ACCEPTABLE, desc = "Both lapped before they were read (reader ran before or after the writer).")
@Outcome(id = "12345678, [12]", expect = ACCEPTABLE_INTERESTING,
    desc = "Every event delivered, one or two sub-buffers counted lost anyway: lapped after a partial read took all their events.")
@Outcome(id = "(1235678|125678|1345678|345678), 2", expect = ACCEPTABLE_INTERESTING,
    desc = "One sub-buffer lapped, and the other counted lost too though it was delivered whole (as above).")
@Outcome(id = "-1, .*", expect = FORBIDDEN, desc = "A torn event: bytes of two sub-buffers, or of a slot not yet filled.")
@Outcome(expect = FORBIDDEN, desc = "Events repeated, out of order, or missing without a counted loss.")
public class ReaderLapTest
{
    private static final RelayChannel CHANNEL =
        StandaloneBuffers.channel(RelayCallbacks.overwrite(), 2 * TestEvents.LENGTH + 8, 2);

    private final RelayBuffer buffer = StandaloneBuffers.buffer(CHANNEL);
    private final RelayReader reader = new RelayReader(buffer);
    private final ByteBuffer readerDst = ByteBuffer.allocate(16 * TestEvents.LENGTH).order(ByteOrder.LITTLE_ENDIAN);

    @Actor
    public void writer()
    {
        for (int value = 1; value <= 8; value++)
        {
            TestEvents.write(buffer, value);
        }
    }

    @Actor
    public void reader()
    {
        reader.read(readerDst);
    }

    @Arbiter
    public void rest(final JJ_Result r)
    {
        reader.read(readerDst);
        r.r1 = TestEvents.decode(readerDst, 0, readerDst.position());
        r.r2 = buffer.lostSubbufs();
    }
}
