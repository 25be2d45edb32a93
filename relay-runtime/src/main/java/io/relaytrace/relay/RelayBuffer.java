package io.relaytrace.relay;

import io.relaytrace.relay.clock.TraceClock;
import io.relaytrace.relay.format.SubbufDescriptor;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.ref.WeakReference;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import static io.relaytrace.relay.format.SubbufDescriptor.*;

/**
 * One carrier's buffer: {@code nSubbufs} sub-buffers of {@code subbufSize} bytes, each starting
 * with a {@link SubbufDescriptor} header, written by a single carrier thread and read by a single
 * reader (the flusher, or one {@link RelayReader}).
 * <p>
 * Assumptions: only the carrier that owns the buffer calls {@link #reserve}, {@link #commit},
 * {@link #write} and {@link #context(long)}, and nothing between {@code reserve} and
 * {@code commit} blocks or unmounts a virtual thread. A nested reserve/commit on the same thread
 * (a class-file transformer or a {@code <clinit>} emitting events in the middle of a write) is
 * allowed: nothing becomes visible until the outermost commit.
 * <p>
 * Guarantees: the write path takes no lock, allocates nothing, performs no atomic
 * read-modify-write and never throws for a full or finalized buffer: it answers
 * {@link #REFUSED} and counts the event ({@code dropped} or {@code tooBig}). A reader sees a
 * reserved slot only after it is committed (release store of the committed length after the
 * bytes), and a sub-buffer only after it is finished (release store of {@code produced}).
 * <p>
 * Example, writing a 16-byte event in place:
 * <pre>{@code
 * RelayBuffer buf = channel.buffer();
 * int at = buf.reserve(16);
 * if (at != RelayBuffer.REFUSED) {
 *     ByteBuffer m = buf.memory();
 *     m.putInt(at, header);
 *     m.putInt(at + 4, methodId);
 *     m.putLong(at + 8, TraceClock.now());
 *     buf.commit();
 * }
 * }</pre>
 */
public final class RelayBuffer
{
    /** Returned by {@link #reserve} when the event was dropped or too big (and counted). */
    public static final int REFUSED = -1;

    private static final VarHandle INT_VIEW =
        MethodHandles.byteBufferViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle LONG_VIEW =
        MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle SHORT_VIEW =
        MethodHandles.byteBufferViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle PRODUCED;
    private static final VarHandle ENTERED;
    private static final VarHandle CONSUMED;
    private static final VarHandle FINALIZED;

    static
    {
        try
        {
            final MethodHandles.Lookup lookup = MethodHandles.lookup();
            PRODUCED = lookup.findVarHandle(RelayBuffer.class, "produced", long.class);
            ENTERED = lookup.findVarHandle(RelayBuffer.class, "entered", long.class);
            CONSUMED = lookup.findVarHandle(RelayBuffer.class, "consumed", long.class);
            FINALIZED = lookup.findVarHandle(RelayBuffer.class, "finalized", boolean.class);
        }
        catch (final ReflectiveOperationException ex)
        {
            throw new ExceptionInInitializerError(ex);
        }
    }

    private final RelayChannel channel;
    private final RelayCallbacks callbacks;
    private final int id;
    private final int cpuSlot;
    private final long carrierId;
    private final WeakReference<Thread> carrier;
    private final int subbufSize;
    private final int nSubbufs;
    private final int stalledOffset;
    private final int maxLength;
    private final ByteBuffer memory;
    private final BufferMemory backing;
    private final int[] padding;

    // Writer state: only the owning carrier writes these.
    private int offset;
    private int slotBase;
    private int published;
    private int depth;
    private long events;
    private long dropped;
    private long tooBig;
    private long context;
    private long produced;
    private long entered;

    // Reader state.
    private long consumed;
    private long lostSubbufs;
    private int bytesConsumed;

    private boolean finalized;

    RelayBuffer(
        final RelayChannel channel,
        final int id,
        final int cpuSlot,
        final Thread carrier,
        final BufferMemory backing)
    {
        this.channel = channel;
        this.callbacks = channel.callbacks();
        this.id = id;
        this.cpuSlot = cpuSlot;
        this.carrierId = carrier == null ? -1 : carrier.getId();
        this.carrier = carrier == null ? null : new WeakReference<>(carrier);
        this.subbufSize = channel.subbufSize();
        // From the memory, not the channel: the global buffer has more sub-buffers than the carriers'.
        this.nSubbufs = backing.buffer().capacity() / subbufSize;
        this.stalledOffset = subbufSize + 1;
        this.maxLength = maxContentLength(subbufSize);
        this.backing = backing;
        this.memory = backing.buffer();
        this.padding = new int[nSubbufs];
        start();
    }

    /**
     * Reserves {@code length} bytes in the current sub-buffer, switching to the next one first if
     * they do not fit (an exact fit does not switch). Fill the slot, then {@link #commit()}.
     *
     * @param length bytes to reserve, {@code > 0}.
     * @return the absolute index of the slot in {@link #memory()}, or {@link #REFUSED}.
     */
    public int reserve(final int length)
    {
        final int offset = this.offset;
        if (length > subbufSize - offset || length <= 0 || (boolean)FINALIZED.getOpaque(this))
        {
            return reserveSlow(length);
        }

        this.offset = offset + length;
        depth++;
        return slotBase + offset;
    }

    /**
     * {@link #reserve} for a client whose writes never nest, such as the agent's recorder. Such a
     * client can find a reservation still open only if its writer was thrown out between reserve and
     * commit: a {@link StackOverflowError} can strike at any call, even in the fill, in deep
     * recursion. Left open, that reservation would keep every later commit of the buffer
     * unpublished; so it is discarded first (its bytes unpublished, its event uncounted, the writer
     * having counted its own failure), and the buffer publishes again.
     * <p>
     * A client that nests reservations must use {@link #reserve}: this would discard the enclosing one.
     *
     * @param length bytes to reserve, {@code > 0}.
     * @return the absolute index of the slot in {@link #memory()}, or {@link #REFUSED}.
     */
    public int reserveNonNested(final int length)
    {
        if (depth != 0)
        {
            discardAbandonedReservation();
        }
        return reserve(length);
    }

    private void discardAbandonedReservation()
    {
        // Reserving never publishes, so what was published is exactly what was committed before
        // the abandoned reservation, in this sub-buffer (one entered by that reservation itself
        // starts with nothing published).
        depth = 0;
        offset = published;
    }

    /**
     * Publishes the slot of the matching {@link #reserve}. Only the outermost commit of nested
     * reservations publishes, so a nested event can never expose its enclosing, unfilled slot.
     */
    public void commit()
    {
        // The release store first, the plain fields after: a stack overflow can strike only at the
        // calls inside the store, before it happened, and then leaves the reservation open and
        // uncounted, for reserveNonNested to discard; never counted committed but unpublished.
        if (depth == 1)
        {
            final int offset = this.offset;
            INT_VIEW.setRelease(memory, slotBase + CONTENT_LENGTH_OFFSET, offset - HEADER_LENGTH);
            published = offset;
        }
        depth--;
        events++;
    }

    /**
     * Copies one event into the buffer.
     *
     * @param src    the event's bytes.
     * @param off    where they start in {@code src}.
     * @param length how many.
     * @return true if written, false if dropped or too big (counted).
     */
    public boolean write(final byte[] src, final int off, final int length)
    {
        final int at = reserve(length);
        if (at == REFUSED)
        {
            return false;
        }
        memory.put(at, src, off, length);
        commit();
        return true;
    }

    /**
     * {@link #write}, except that a refusal is not counted: for the channel's mover of staged
     * global records, which decides itself what a refusal costs (a record that must be kept waits
     * and is tried again; a droppable one is counted with {@link #countRefused}). Single writer.
     *
     * @return true if written.
     */
    boolean writeUncounted(final byte[] src, final int off, final int length)
    {
        final long dropped = this.dropped;
        final long tooBig = this.tooBig;
        if (write(src, off, length))
        {
            return true;
        }
        this.dropped = dropped;
        this.tooBig = tooBig;
        return false;
    }

    /**
     * Counts events refused on this buffer's behalf before they reached it (the global records
     * that the channel's staging refused), so that they reach the next header entered and the
     * final block as this buffer's own refusals do. Single writer, as {@link #write}.
     */
    void countRefused(final long dropped, final long tooBig)
    {
        this.dropped += dropped;
        this.tooBig += tooBig;
    }

    /** @return the longest event a sub-buffer takes. */
    int maxLength()
    {
        return maxLength;
    }

    private int reserveSlow(final int length)
    {
        if (length <= 0)
        {
            throw new IllegalArgumentException("length=" + length + " must be > 0");
        }
        if ((boolean)FINALIZED.getOpaque(this))
        {
            dropped++;
            return REFUSED;
        }
        if (length > maxLength)
        {
            tooBig++;
            return REFUSED;
        }
        if (!switchSubbuf())
        {
            dropped++;
            return REFUSED;
        }

        final int offset = this.offset;
        this.offset = offset + length;
        depth++;
        return slotBase + offset;
    }

    /**
     * Finishes the current sub-buffer (unless stalled: a stalled buffer produces nothing twice)
     * and asks the callbacks whether to enter the next one.
     *
     * @return true if the writer is now in a new sub-buffer.
     */
    boolean switchSubbuf()
    {
        long produced = this.produced;
        final int n = nSubbufs;
        if (offset != stalledOffset)
        {
            final int slot = (int)(produced % n);
            final int base = slotBase;
            final int pad = subbufSize - published;
            padding[slot] = pad;
            memory.putInt(base + PADDING_OFFSET, pad);
            memory.putLong(base + LAST_TIMESTAMP_OFFSET, TraceClock.now());
            // Release: a follower of the mapped file that sees the flag sees the final length.
            SHORT_VIEW.setRelease(memory, base + FLAGS_OFFSET, FLAG_FINISHED);
            PRODUCED.setRelease(this, ++produced);
            offset = stalledOffset;
            channel.wakeReaders();
        }

        final int next = (int)(produced % n);
        final int prev = (int)((produced + n - 1) % n);
        if (!callbacks.subbufStart(this, next, prev, padding[prev]))
        {
            return false;
        }
        enter(next, produced);
        return true;
    }

    private void enter(final int slot, final long sequence)
    {
        ENTERED.setRelease(this, sequence);
        // Seqlock with the reader: the new sequence must be visible before the slot's old
        // content is overwritten, so a reader copying the old content detects the lap.
        VarHandle.storeStoreFence();

        final int base = slot * subbufSize;
        padding[slot] = 0;
        writeHeader(memory, base, sequence, (short)0, events + depth, 0L);

        slotBase = base;
        offset = HEADER_LENGTH;
        published = HEADER_LENGTH;
    }

    /**
     * Writes a sub-buffer header with this buffer's identity and current counters, content length
     * zero. Used for each sub-buffer the writer enters, and for the final block of a buffer.
     * Reservations still open when the writer enters a new sub-buffer belong to the finished one
     * and are lost: the caller counts them in {@code eventsBefore}.
     */
    void writeHeader(
        final ByteBuffer dst, final int base, final long sequence, final short flags,
        final long eventsBefore, final long lostBefore)
    {
        // Length first: a JVM killed in the middle of this leaves an empty sub-buffer behind,
        // never old content under a new sequence number.
        dst.putInt(base + CONTENT_LENGTH_OFFSET, 0);
        dst.putInt(base + MAGIC_OFFSET, MAGIC);
        dst.putShort(base + VERSION_OFFSET, VERSION);
        dst.putShort(base + FLAGS_OFFSET, flags);
        dst.putInt(base + BUFFER_ID_OFFSET, id);
        dst.putInt(base + CPU_SLOT_OFFSET, cpuSlot);
        dst.putLong(base + CARRIER_ID_OFFSET, carrierId);
        final long now = TraceClock.now();
        dst.putLong(base + FIRST_TIMESTAMP_OFFSET, now);
        dst.putLong(base + LAST_TIMESTAMP_OFFSET, flags == 0 ? 0L : now);
        dst.putLong(base + CONTEXT_OFFSET, context);
        dst.putLong(base + EVENTS_BEFORE_OFFSET, eventsBefore);
        dst.putLong(base + DROPPED_BEFORE_OFFSET, dropped);
        dst.putLong(base + TOO_BIG_BEFORE_OFFSET, tooBig);
        dst.putLong(base + LOST_BEFORE_OFFSET, lostBefore);
        dst.putInt(base + CONTENT_OFFSET_OFFSET, 0);
        dst.putInt(base + PADDING_OFFSET, 0);
        dst.putInt(base + CRC_OFFSET, 0);
        // Last, with release: a reader (here or in another process) that sees the new sequence
        // sees every field above, the length zeroed first among them, never the previous
        // occupant's length or counters under the new sequence.
        LONG_VIEW.setRelease(dst, base + SEQUENCE_OFFSET, sequence);
    }

    /**
     * The block that ends a buffer in a file (channel closed, or carrier offline): a header with no
     * content, flagged final, whose Events Before is every event committed to the buffer and whose
     * Dropped/Too Big are the buffer's totals. Call once the writer is gone or finalized.
     */
    void writeFinalBlock(final ByteBuffer dst, final java.util.zip.CRC32C crc)
    {
        dst.clear();
        writeHeader(dst, 0, producedAcquire(), FLAG_FINAL, events, lostSubbufs);
        dst.limit(HEADER_LENGTH);
        RelayReader.seal(dst, crc);
    }

    /** Initial state: nothing produced or consumed, and the first sub-buffer asked for. */
    private void start()
    {
        produced = 0;
        CONSUMED.setRelease(this, 0L);
        java.util.Arrays.fill(padding, 0);
        offset = stalledOffset;
        published = HEADER_LENGTH;
        slotBase = 0;
        depth = 0;
        if (callbacks.subbufStart(this, 0, -1, 0))
        {
            enter(0, 0);
        }
    }

    /** {@link RelayChannel#reset()}: counters, padding and offset back to the start; memory kept. */
    void reset()
    {
        events = 0;
        dropped = 0;
        tooBig = 0;
        lostSubbufs = 0;
        bytesConsumed = 0;
        ENTERED.setRelease(this, 0L);
        FINALIZED.setOpaque(this, false);
        start();
    }

    /**
     * Finishes the current sub-buffer even if empty, as the kernel's flush does. Only the owning
     * carrier, or anyone once the carrier is gone or the buffer finalized, may call it.
     */
    void forceSwitch()
    {
        if (depth == 0)
        {
            switchSubbuf();
        }
    }

    void markFinalized()
    {
        FINALIZED.setOpaque(this, true);
    }

    // ---- reader side, used by RelayReader and the flusher ----

    long producedAcquire()
    {
        return (long)PRODUCED.getAcquire(this);
    }

    long enteredAcquire()
    {
        return (long)ENTERED.getAcquire(this);
    }

    /** @return the sequence in a slot's header; a reader that sees it sees the whole header. */
    long slotSequence(final int slot)
    {
        return (long)LONG_VIEW.getAcquire(memory, slot * subbufSize + SEQUENCE_OFFSET);
    }

    int committedLength(final int slot)
    {
        return (int)INT_VIEW.getAcquire(memory, slot * subbufSize + CONTENT_LENGTH_OFFSET);
    }

    void consumedRelease(final long value)
    {
        CONSUMED.setRelease(this, value);
    }

    int bytesConsumed()
    {
        return bytesConsumed;
    }

    void bytesConsumed(final int value)
    {
        bytesConsumed = value;
    }

    /**
     * Gives up what the reader has not read of a buffer whose carrier ended, as a lap would: the
     * unread finished sub-buffers, and the current one if it holds unread events, are counted lost,
     * and consumed moves to produced. The final block written after this carries the buffer's
     * committed events, so a reader of the files counts the events given up exactly.
     * <p>
     * Caller: the channel's flusher (the buffer's reader, under the drain lock), after
     * {@link #markFinalized()}, once the carrier ended (its writes are visible: it terminated).
     */
    void discardUnread()
    {
        final long produced = producedAcquire();
        final long consumed = (long)CONSUMED.getAcquire(this);
        final int current = (int)(produced % nSubbufs);
        final boolean currentUnread = (long)ENTERED.getAcquire(this) == produced &&
            committedLength(current) > (consumed == produced ? bytesConsumed : 0);
        lostSubbufs += produced - consumed + (currentUnread ? 1 : 0);
        CONSUMED.setRelease(this, produced);
    }

    void addLost(final long subbufs)
    {
        lostSubbufs += subbufs;
    }

    long lostSubbufs()
    {
        return lostSubbufs;
    }

    private RelayReader flushReader;
    /** When the flusher first noticed the carrier ended ({@code System.nanoTime()}, never 0), or 0. */
    private long endedNoticed;

    /** Flusher side: records when the carrier was first seen ended, for a flight recorder's oldest-first retirement. */
    void noticeEnded(final long now)
    {
        if (endedNoticed == 0)
        {
            endedNoticed = now == 0 ? 1 : now;
        }
    }

    long endedNoticed()
    {
        return endedNoticed;
    }

    /** The reader the channel's flusher uses; under the channel's drain lock. */
    RelayReader flushReader()
    {
        RelayReader reader = flushReader;
        if (reader == null)
        {
            reader = flushReader = new RelayReader(this);
        }
        return reader;
    }

    BufferMemory backing()
    {
        return backing;
    }

    RelayChannel channel()
    {
        return channel;
    }

    /**
     * Reports that the reader has consumed {@code n} more sub-buffers. Adds, clamped so that
     * consumed never passes produced.
     *
     * @param n sub-buffers read, {@code >= 0}.
     */
    public void subbufsConsumed(final long n)
    {
        if (n < 0)
        {
            throw new IllegalArgumentException("n=" + n + " must be >= 0");
        }
        final long produced = producedAcquire();
        final long consumed = (long)CONSUMED.getAcquire(this);
        CONSUMED.setRelease(this, n > produced - consumed ? produced : consumed + n);
    }

    // ---- state ----

    /** @return true when every sub-buffer is finished and unread: {@code produced - consumed >= n}. */
    public boolean isFull()
    {
        return producedAcquire() - (long)CONSUMED.getAcquire(this) >= nSubbufs;
    }

    /** @return true when no finished sub-buffer is unread (partial data does not count). */
    public boolean isEmpty()
    {
        return producedAcquire() == (long)CONSUMED.getAcquire(this);
    }

    /** @return true once the channel closed or the carrier went offline. */
    public boolean isFinalized()
    {
        return (boolean)FINALIZED.getOpaque(this);
    }

    /** @return true while the mode refuses to enter a new sub-buffer. */
    public boolean isStalled()
    {
        return offset == stalledOffset;
    }

    public long subbufsProduced()
    {
        return producedAcquire();
    }

    public long subbufsConsumed()
    {
        return (long)CONSUMED.getAcquire(this);
    }

    /**
     * @param subbuf index of a sub-buffer.
     * @return its unused tail, set when it was finished, 0 while it is written.
     */
    public int padding(final int subbuf)
    {
        return padding[subbuf];
    }

    /** @return the memory the events live in; indexes from {@link #reserve} are absolute in it. */
    public ByteBuffer memory()
    {
        return memory;
    }

    /**
     * The writer's context, stamped into the header of every sub-buffer it enters (the agent keeps
     * the id of the thread writing here, so each sub-buffer decodes on its own).
     *
     * @return the current context.
     */
    public long context()
    {
        return context;
    }

    /** @param context the new context; owning carrier only. */
    public void context(final long context)
    {
        this.context = context;
    }

    public int id()
    {
        return id;
    }

    public int cpuSlot()
    {
        return cpuSlot;
    }

    /** @return the carrier's thread id, or -1 for the global buffer. */
    public long carrierId()
    {
        return carrierId;
    }

    public int subbufSize()
    {
        return subbufSize;
    }

    public int nSubbufs()
    {
        return nSubbufs;
    }

    /** @return the position of the next write within the current sub-buffer (header included). */
    public int offset()
    {
        return offset;
    }

    /** @return true while the carrier thread is alive (always true for the global buffer). */
    boolean carrierAlive()
    {
        if (carrier == null)
        {
            return true;
        }
        final Thread thread = carrier.get();
        return thread != null && thread.isAlive();
    }

    /**
     * Counters as seen from another thread (racy but never torn on 64-bit JVMs).
     *
     * @return a snapshot.
     */
    public RelayStats stats()
    {
        return new RelayStats(
            id, cpuSlot, carrierId, producedAcquire(), subbufsConsumed(), events, dropped, tooBig, lostSubbufs);
    }

    @Override
    public String toString()
    {
        return "RelayBuffer{id=" + id + ", cpuSlot=" + cpuSlot + ", carrierId=" + carrierId +
            ", produced=" + producedAcquire() + ", consumed=" + subbufsConsumed() + '}';
    }
}
