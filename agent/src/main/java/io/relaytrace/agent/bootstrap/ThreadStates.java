package io.relaytrace.agent.bootstrap;

/**
 * One byte of state per thread id, for the write path: has the thread's THREAD_DEF been written,
 * is the thread inside the recorder right now (the re-entry guard), did recording fail on it. Indexed by
 * {@code Thread.getId()}, which the JDK hands out from one counter starting at 1 and never reuses.
 * <p>
 * Guarantees: a lookup reads one volatile array reference and two plain arrays, without locks or
 * allocation, once the chunk for the id exists (one chunk covers {@value #CHUNK_SIZE} ids and is
 * made on the first lookup in its range). Making one takes no lock either: the array of chunks is
 * never modified once published, a new one (with the new chunk) replaces it by compare-and-set, and
 * a thread that loses the race looks again (lock-free: someone won). Only the thread itself stores
 * into its own byte, so plain stores suffice (the JLS forbids word tearing for byte arrays).
 * <p>
 * Costs: one byte per thread id ever seen, in chunks of 64 KiB: a million threads take 1 MiB.
 */
final class ThreadStates
{
    /** Never seen by this recorder: its THREAD_DEF is due. */
    static final byte NEW = 0;
    /** THREAD_DEF written, not inside the recorder. */
    static final byte DEFINED = 1;
    /** Inside the recorder: a nested event on this thread is skipped. */
    static final byte BUSY = 2;
    /**
     * Recording ran out of memory on this thread (its carrier's buffer could not be allocated): its
     * events are skipped from now on, rather than fail again, slowly, on every call.
     */
    static final byte FAILED = 3;

    static final int CHUNK_BITS = 16;
    static final int CHUNK_SIZE = 1 << CHUNK_BITS;
    private static final int SLOT_MASK = CHUNK_SIZE - 1;

    private static final java.lang.invoke.VarHandle CHUNKS;

    static
    {
        try
        {
            CHUNKS = java.lang.invoke.MethodHandles.lookup().findVarHandle(ThreadStates.class, "chunks", byte[][].class);
        }
        catch (final ReflectiveOperationException ex)
        {
            throw new ExceptionInInitializerError(ex);
        }
    }

    private volatile byte[][] chunks = new byte[16][];

    /**
     * @param threadId a thread id, {@code >= 0}.
     * @return the chunk holding that id's state, at {@link #slot(long)}.
     */
    byte[] chunk(final long threadId)
    {
        final byte[][] chunks = this.chunks;
        final long index = threadId >>> CHUNK_BITS;
        if (index < chunks.length)
        {
            final byte[] chunk = chunks[(int)index];
            if (chunk != null)
            {
                return chunk;
            }
        }
        return makeChunk(index);
    }

    static int slot(final long threadId)
    {
        return (int)threadId & SLOT_MASK;
    }

    private byte[] makeChunk(final long index)
    {
        if (index >= Integer.MAX_VALUE)
        {
            throw new IllegalStateException("threadId chunk=" + index + " beyond what ThreadStates indexes");
        }
        final byte[] chunk = new byte[CHUNK_SIZE];
        while (true)
        {
            final byte[][] current = this.chunks;
            if (index < current.length && current[(int)index] != null)
            {
                return current[(int)index]; // another thread made it: ours is garbage, never handed out
            }
            int length = current.length;
            while (length <= index)
            {
                length = length > Integer.MAX_VALUE / 2 ? Integer.MAX_VALUE : length * 2;
            }
            // A copy even when the array is long enough: a published array is never written, so no
            // store can be lost to a concurrent replacement. Chunks already handed out are shared
            // by both arrays, so no state stored through an old array is lost either.
            final byte[][] fresh = java.util.Arrays.copyOf(current, length);
            fresh[(int)index] = chunk;
            if (CHUNKS.compareAndSet(this, current, fresh))
            {
                return chunk;
            }
        }
    }
}
