package io.relaytrace.relay;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;
import org.openjdk.jcstress.infra.results.II_Result;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * The channel's lock-free snapshot of its buffers ({@link CarrierTable}), published by
 * compare-and-set exactly as {@link RelayChannel} does (the same {@code publish},
 * {@code unpublish} and {@code publishClosed}, on a field of the state). Two races, two actors each
 * (this machine has two cores):
 * <ul>
 *   <li>{@link OnlineVsClose}: a carrier coming online (A) while the channel closes. Its buffer is
 *       either in the snapshot that close publishes (close finalizes and drains it) or its
 *       publication failed (its carrier gives the memory back): never both, never neither.</li>
 *   <li>{@link OnlineVsRetire}: a carrier coming online (A) while the flusher retires another's
 *       buffer (C): neither change is lost.</li>
 * </ul>
 * In both, the last snapshot's carrier table must find exactly the buffers it lists.
 * <p>
 * The buffers are made once per forked VM (a snapshot only reads their carrier ids and identity);
 * their carriers are threads never started, whose ids are distinct.
 */
public final class CarrierSnapshotTest
{
    private static final RelayChannel CHANNEL = StandaloneBuffers.channel(RelayCallbacks.discard(), 16, 1);
    private static final Thread[] CARRIERS = {new Thread(() -> { }), new Thread(() -> { })};
    static final RelayBuffer A = carrierBuffer(0);
    static final RelayBuffer C = carrierBuffer(1);

    private CarrierSnapshotTest()
    {
    }

    private static RelayBuffer carrierBuffer(final int i)
    {
        final BufferMemory memory = new BufferMemory.Direct(CHANNEL.subbufSize() * CHANNEL.nSubbufs());
        return new RelayBuffer(CHANNEL, i + 1, 0, CARRIERS[i], memory);
    }

    private static VarHandle snapshotField(final Class<?> state)
    {
        try
        {
            return MethodHandles.lookup().findVarHandle(state, "snapshot", CarrierTable.class);
        }
        catch (final ReflectiveOperationException ex)
        {
            throw new ExceptionInInitializerError(ex);
        }
    }

    /** @return A (1) and C (2) listed in {@code table}, + 4 if closed, + 8 if its carrier table disagrees with its list. */
    static int describe(final CarrierTable table)
    {
        int state = table.isClosed() ? 4 : 0;
        for (final RelayBuffer buffer : new RelayBuffer[] {A, C})
        {
            final boolean listed = table.contains(buffer);
            if (listed)
            {
                state += buffer == A ? 1 : 2;
            }
            if (listed != (table.get(buffer.carrierId()) == buffer))
            {
                state |= 8;
            }
        }
        return state;
    }

    /** r1 = A published (1) or given back (0); r2 = the closing snapshot, r3 = the last one, as {@link #describe}. */
    @JCStressTest
    @State
    @Description("CarrierTable: a carrier coming online vs close, by compare-and-set")
    @Outcome(id = "0, 6, 6", expect = ACCEPTABLE, desc = "Close first: A gives its memory back.")
    @Outcome(id = "1, 7, 7", expect = ACCEPTABLE, desc = "A came online first: close drains it.")
    @Outcome(expect = FORBIDDEN, desc = "A published but not in the closing snapshot (never drained), or in it though " +
        "given back (drained and reused), the snapshot left open or changed after close, or a table that disagrees with its list.")
    public static class OnlineVsClose
    {
        private static final VarHandle SNAPSHOT = snapshotField(OnlineVsClose.class);

        private volatile CarrierTable snapshot = CarrierTable.empty().with(C);

        @Actor
        public void online(final III_Result r)
        {
            r.r1 = CarrierTable.publish(SNAPSHOT, this, A) ? 1 : 0;
        }

        @Actor
        public void close(final III_Result r)
        {
            final CarrierTable closing = CarrierTable.publishClosed(SNAPSHOT, this);
            r.r2 = closing == null ? -1 : describe(closing);
        }

        @Arbiter
        public void arbiter(final III_Result r)
        {
            r.r3 = describe(snapshot);
        }
    }

    /** r1 = A published (1) or not (0); r2 = the last snapshot, as {@link #describe}. */
    @JCStressTest
    @State
    @Description("CarrierTable: a carrier coming online vs the flusher retiring another, by compare-and-set")
    @Outcome(id = "1, 1", expect = ACCEPTABLE, desc = "A online, C retired, in either order.")
    @Outcome(expect = FORBIDDEN, desc = "A change lost (A missing or C still there), or a table that disagrees with its list.")
    public static class OnlineVsRetire
    {
        private static final VarHandle SNAPSHOT = snapshotField(OnlineVsRetire.class);

        private volatile CarrierTable snapshot = CarrierTable.empty().with(C);

        @Actor
        public void online(final II_Result r)
        {
            r.r1 = CarrierTable.publish(SNAPSHOT, this, A) ? 1 : 0;
        }

        @Actor
        public void retire()
        {
            CarrierTable.unpublish(SNAPSHOT, this, C);
        }

        @Arbiter
        public void arbiter(final II_Result r)
        {
            r.r2 = describe(snapshot);
        }
    }
}
