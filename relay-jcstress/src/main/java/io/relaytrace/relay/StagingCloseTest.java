package io.relaytrace.relay;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * The global records' staging queue ({@link GlobalStaging}) against a close: one thread stages a
 * record that must be kept while the channel closes staging and makes its last move into the
 * global buffer. The record is either staged (stage says true) and moved, or refused (stage says
 * false) and counted; never staged and left behind, never moved though refused.
 * <p>
 * r1 = stage's answer (1 staged); r2 = records the global buffer holds after the move; r3 =
 * refusals counted, + 10 if something is still waiting in the queue.
 */
@JCStressTest
@State
@Description("GlobalStaging: stage vs close and the last move")
@Outcome(id = "1, 1, 0", expect = ACCEPTABLE, desc = "Staged before the close saw it: moved by the last move.")
@Outcome(id = "0, 0, 1", expect = ACCEPTABLE, desc = "Refused (closed before, or withdrawn after the offer): counted.")
@Outcome(expect = FORBIDDEN, desc = "Staged but lost or left waiting, refused but moved, or refused uncounted.")
public class StagingCloseTest
{
    private static final RelayChannel CHANNEL = StandaloneBuffers.channel(RelayCallbacks.discard(), 4 * TestEvents.LENGTH, 2);
    private static final byte[] RECORD = new byte[TestEvents.LENGTH];

    private final RelayBuffer global = StandaloneBuffers.buffer(CHANNEL);
    private final GlobalStaging staging = new GlobalStaging(global.maxLength(), 1024);

    @Actor
    public void stager(final III_Result r)
    {
        r.r1 = staging.stage(RECORD, 0, RECORD.length, false) ? 1 : 0;
    }

    @Actor
    public void closer()
    {
        staging.close();
        staging.moveTo(global, () -> false);
    }

    @Arbiter
    public void arbiter(final III_Result r)
    {
        r.r2 = (int)global.stats().events();
        r.r3 = (int)staging.refused() + (staging.isEmpty() ? 0 : 10);
    }
}
