package io.relaytrace.relay;

import io.relaytrace.relay.carrier.Carriers;
import io.relaytrace.relay.clock.TraceClock;
import io.relaytrace.relay.format.ClosedMarker;
import io.relaytrace.relay.format.MappedBufferDescriptor;
import io.relaytrace.relay.format.SubbufDescriptor;
import io.relaytrace.relay.format.TraceHeader;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import java.util.zip.CRC32C;

/**
 * A relay channel: one geometry ({@code subbufSize} x {@code nSubbufs}), one set of callbacks,
 * one output, and a buffer per carrier thread plus a global buffer.
 * <p>
 * Assumptions: a virtual thread writes into the buffer of the carrier it is mounted on, and does
 * not unmount between {@link RelayBuffer#reserve} and {@link RelayBuffer#commit} (nothing there
 * blocks). {@link #reset()} is called only while nobody writes.
 * <p>
 * Guarantees:
 * <ul>
 *   <li>{@link #write} and {@link #buffer()} never block, lock, allocate or throw on the fast
 *       path. A carrier's first write (it comes online) takes no lock either: it publishes a new
 *       {@link CarrierTable} snapshot by compare-and-set (lock-free: a retry means another
 *       carrier, the flusher or {@code close()} succeeded).</li>
 *   <li>{@link #writeGlobal} and {@link #offerGlobal} never wait: they stage the record, and only
 *       the channel writes the global buffer (the flusher every poll, and {@code flush()},
 *       {@code dump()}, {@code close()} and {@code reset()}, which move what is staged first).
 *       So a reader of the global buffer sees a record up to one poll (1 ms) after it was
 *       staged.</li>
 *   <li>{@link #flush()} is safe while carriers write. When it returns, every event whose write
 *       completed before the call is in a finished sub-buffer (the caller's own buffer, which it
 *       switches as the kernel does, even if empty) or already in the files (the other carriers'
 *       buffers, whose committed data the flusher takes without disturbing their writers).</li>
 *   <li>Every event refused is counted: full (dropped), too big, or without a buffer
 *       (unattributed); lapped sub-buffers are counted lost; the counts reach the sub-buffer
 *       headers on disk and the close marker.</li>
 *   <li>A carrier thread that ends goes offline: its buffer is drained, finalized, and its
 *       memory recycled (a lock-free {@link BufferPool}) for the next carrier that comes online;
 *       pooled memory no carrier needed for a second is given up. A flight recorder keeps the
 *       buffers of the {@code keepEnded} carriers that ended last for its next dump, which
 *       retires them; older ones are retired unread, their events counted lost.</li>
 * </ul>
 * Example:
 * <pre>{@code
 * try (RelayChannel channel = RelayChannel.open("trace.", dir, 256 * 1024, 8, RelayCallbacks.discard())) {
 *     channel.write(bytes, 0, bytes.length);
 * }
 * }</pre>
 */
public final class RelayChannel implements AutoCloseable
{
    /** The smallest sub-buffer: a header and 8 bytes of content. */
    public static final int MIN_SUBBUF_SIZE = SubbufDescriptor.HEADER_LENGTH + 8;
    /**
     * Flight recorder: carriers that ended whose buffers wait for the next dump. Their memory adds to
     * that of the live carriers; a server that replaces threads must not grow with every one.
     */
    public static final int DEFAULT_KEEP_ENDED = 16;
    /** The global buffer's least size: about 80,000 thread definitions, the burst of a storm of new threads. */
    static final long GLOBAL_MIN_BYTES = 4L * 1024 * 1024;

    private static final long QUIESCE_NANOS = TimeUnit.MILLISECONDS.toNanos(5);
    /**
     * Bytes of droppable global records (thread definitions) that may wait for the mover: 37,449
     * definitions of unnamed virtual threads (28 bytes each), about 20,000 of platform threads with
     * a 24-character name. The flusher moves them every millisecond, so only a stalled flusher (a
     * slow disk) fills this; the heap then holds at most about 3.5 MiB for them (each 28-byte record
     * takes about 96 bytes: its copy, its entry, the queue's node).
     */
    static final long DEFAULT_DROPPABLE_STAGING_BYTES = 1024 * 1024;
    private static final VarHandle SNAPSHOT;

    static
    {
        try
        {
            SNAPSHOT = MethodHandles.lookup().findVarHandle(RelayChannel.class, "snapshot", CarrierTable.class);
        }
        catch (final ReflectiveOperationException ex)
        {
            throw new ExceptionInInitializerError(ex);
        }
    }

    private final int subbufSize;
    private final int nSubbufs;
    private final int cpus;
    private final RelayCallbacks callbacks;
    private final RelayMode mode;
    private final boolean mapped;
    private final BufferPool pool;
    /** Flight recorder: ended carriers whose buffers are kept for the next dump. */
    private final int keepEnded;
    private final Map<String, String> properties;
    private final long clockNanoTime;
    private final long clockEpochNanos;

    /** Taken by the flusher, totals and file setup; never by a thread that writes events. */
    private final Object lock = new Object();
    private final ReentrantLock drainLock = new ReentrantLock();
    private final Flusher flusher;
    private final AtomicLong unattributed = new AtomicLong();
    /** Events the client failed to record, counted by it (see {@link #countFailedEvents(long)}). */
    private final AtomicLong failedEvents = new AtomicLong();
    private final Set<Thread> waiters = ConcurrentHashMap.newKeySet();
    /**
     * Carriers whose buffer could not be allocated or mapped: asked again on every event, the
     * allocation would fail again, and slowly (direct memory collects and sleeps before it gives
     * up), stalling the application. Their events are counted as unattributed.
     */
    private final Set<Long> bufferless = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean bufferFailureReported = new AtomicBoolean();
    private final ByteBuffer scratch;
    private final CRC32C crc = new CRC32C();
    private final AtomicInteger nextBufferId = new AtomicInteger(1);
    private final AtomicInteger nextPlatformSlot = new AtomicInteger();
    private final long droppableStagingBytes;
    private final BooleanSupplier makeGlobalRoom = this::makeGlobalRoom;

    private RelayBuffer global;
    private GlobalStaging staging;
    /**
     * Every buffer online and the carrier table: replaced whole, by compare-and-set
     * ({@link CarrierTable#publish} and its siblings). Kept here rather than in a holder object so
     * that the write path reaches the table in as many loads as before it was lock-free.
     */
    private volatile CarrierTable snapshot = CarrierTable.empty();
    private volatile OutputFiles output;
    private volatile boolean wakePending;
    private volatile int waiterCount;
    private volatile boolean closed;
    private volatile boolean carriersChanged;
    private volatile long finalBlocksNotWritten;
    /** Set at the first direct-memory allocation that failed: no buffer is allocated after it, only recycled. */
    private volatile boolean directMemoryExhausted;
    /** Written by the flusher thread only. */
    private volatile long flusherFailures;

    // Under lock.
    private String base;
    private Path parent;
    private int retired;
    private long retiredEvents;
    private long retiredDropped;
    private long retiredTooBig;
    private long retiredLost;

    private RelayChannel(final Builder b)
    {
        this.subbufSize = b.subbufSize;
        this.nSubbufs = b.nSubbufs;
        this.cpus = b.cpus;
        this.callbacks = b.callbacks != null ? b.callbacks : b.mode.callbacks();
        this.mode = b.mode;
        this.mapped = b.mapped;
        // Kept however long unused: the usual carriers (a pool's workers) never allocate on their first write.
        this.pool = new BufferPool(b.poolLimit, cpus);
        this.keepEnded = b.keepEnded;
        this.droppableStagingBytes = b.droppableStagingBytes;
        this.properties = new LinkedHashMap<>(b.properties);
        this.clockNanoTime = TraceClock.now();
        final Instant now = Instant.now();
        this.clockEpochNanos = now.getEpochSecond() * 1_000_000_000L + now.getNano();
        this.scratch = ByteBuffer.allocateDirect(subbufSize).order(ByteOrder.LITTLE_ENDIAN);
        this.flusher = new Flusher(this, b.flushIntervalNanos);
    }

    /**
     * Opens a channel, as the kernel's {@code relay_open}.
     *
     * @param baseFilename prefix of the output files, or null for a buffer-only channel.
     * @param parent       the trace directory, or null for a buffer-only channel.
     * @param subbufSize   bytes per sub-buffer, header included, at least {@link #MIN_SUBBUF_SIZE}.
     * @param nSubbufs     sub-buffers per buffer, at least 1.
     * @param callbacks    the client's callbacks (the mode).
     * @return the open channel.
     * @throws IOException if the files cannot be created.
     * @throws IllegalArgumentException for a geometry that cannot work.
     */
    public static RelayChannel open(
        final String baseFilename, final Path parent, final int subbufSize, final int nSubbufs,
        final RelayCallbacks callbacks) throws IOException
    {
        return builder().files(baseFilename, parent).geometry(subbufSize, nSubbufs).callbacks(callbacks).open();
    }

    /** @return a builder for the options {@link #open} does not take. */
    public static Builder builder()
    {
        return new Builder();
    }

    /**
     * Attaches files to a channel opened without them (the kernel's
     * {@code relay_late_setup_files}). Whatever was written before is kept and becomes the start
     * of the files.
     *
     * @param baseFilename prefix of the output files.
     * @param parent       the trace directory; created owner-only if missing.
     * @throws IOException           if the files cannot be created; the channel stays buffer-only.
     * @throws IllegalStateException if files are already set up, or the channel is closed.
     */
    public void setupFiles(final String baseFilename, final Path parent) throws IOException
    {
        if (baseFilename == null || parent == null)
        {
            throw new IllegalArgumentException("baseFilename=" + baseFilename + " parent=" + parent + " must both be given");
        }
        synchronized (lock)
        {
            if (closed)
            {
                throw new IllegalStateException("channel is closed");
            }
            if (output != null)
            {
                throw new IllegalStateException("files already set up: parent=" + this.parent + " base=" + this.base);
            }
            output = OutputFiles.create(parent, baseFilename, cpus, callbacks, traceHeader());
            this.base = baseFilename;
            this.parent = parent;
        }
    }

    /** The global buffer, id 0, mapped too in mmap mode: the method table must survive a crash. */
    private void openGlobal() throws IOException
    {
        // Before the flusher starts and the channel is handed out: no one else sees the snapshot yet.
        global = new RelayBuffer(this, 0, -1, null, allocateGlobal());
        staging = new GlobalStaging(global.maxLength(), droppableStagingBytes);
        if (global.backing().file() != null)
        {
            callbacks.bufMapped(global, global.backing().file());
        }
        snapshot = snapshot.with(global);
    }

    /** One buffer's memory per CPU, ready for the carriers that come online first. */
    private void fillPool()
    {
        if (!mapped)
        {
            for (int i = 0; i < cpus && pool.give(new BufferMemory.Direct(subbufSize * nSubbufs)); i++)
            {
                // Filled up to one buffer per CPU slot, or the pool's limit.
            }
        }
    }

    private TraceHeader traceHeader()
    {
        final Map<String, String> props = new LinkedHashMap<>();
        props.put("mode", mode.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'));
        props.put("buffers", mapped ? "mmap" : "heap");
        props.put("clock", TraceClock.source());
        props.put("java.version", System.getProperty("java.version", ""));
        props.put("java.vm.name", System.getProperty("java.vm.name", ""));
        props.put("start", Instant.ofEpochSecond(0, clockEpochNanos).toString());
        props.putAll(properties);
        return new TraceHeader(
            subbufSize, nSubbufs, cpus, clockNanoTime, clockEpochNanos, ProcessHandle.current().pid(), props);
    }

    /**
     * The current carrier's buffer; a carrier writing for the first time comes online here.
     *
     * @return the buffer, or null when the current thread's carrier cannot be known, no memory can
     *     be had for its buffer (direct memory exhausted, a mapped file that cannot be created), or
     *     the channel is closed (the caller's event is then counted as unattributed). Never throws
     *     for want of memory: after the first failed allocation, carriers coming online only get
     *     memory that others gave back, so that no thread stalls in the JDK's allocation retries.
     */
    public RelayBuffer buffer()
    {
        while (true)
        {
            final Thread carrier = Carriers.currentCarrier();
            if (carrier == null)
            {
                unattributed.incrementAndGet();
                return null;
            }
            final RelayBuffer buffer = snapshot.get(carrier.getId());
            if (buffer != null)
            {
                return buffer;
            }
            // A virtual thread may move to another carrier while online() allocates, so
            // look the carrier up again rather than trust the one found before.
            if (!online(carrier))
            {
                unattributed.incrementAndGet();
                return null;
            }
        }
    }

    /**
     * Writes one event into the current carrier's buffer.
     *
     * @return true if written; false if dropped, too big, or without a buffer (all counted).
     */
    public boolean write(final byte[] src, final int off, final int len)
    {
        final RelayBuffer buffer = buffer();
        return buffer != null && buffer.write(src, off, len);
    }

    /**
     * The global buffer, for readers ({@link RelayReader}) and tests. The channel writes staged
     * records into it under its monitor; anyone else writing into it directly must hold the
     * monitor around {@code reserve}/{@code commit}. Threads that must not wait use
     * {@link #writeGlobal} or {@link #offerGlobal} instead.
     *
     * @return the global buffer.
     */
    public RelayBuffer globalBuffer()
    {
        return global;
    }

    /**
     * Moves every global record staged so far into the global buffer now, rather than at the
     * flusher's next poll: for an in-JVM reader of {@link #globalBuffer()} that must see what was
     * staged before this call (tests, tools). Waits for the flusher's disk writes (the drain lock),
     * so not for application threads. A record that must be kept and finds the global buffer full
     * with no files to drain it to stays staged.
     */
    public void moveStagedGlobal()
    {
        drainLock.lock();
        try
        {
            moveStaged();
        }
        finally
        {
            drainLock.unlock();
        }
    }

    /**
     * Stages a copy of one record that must be kept (a definition that events refer to) for the
     * global buffer, without waiting: the flusher moves it there at its next poll, before it drains
     * the global buffer, in the order records were staged. It is never dropped: if the global
     * buffer is full, the flusher writes it out and tries again; until files are set up on a
     * buffer-only channel, it waits.
     *
     * @return true if staged; false if too big for a sub-buffer or the channel is closed (counted
     *     as the global buffer's too big or dropped).
     * @throws IllegalArgumentException if {@code len <= 0}.
     */
    public boolean writeGlobal(final byte[] src, final int off, final int len)
    {
        return staging.stage(src, off, len, false);
    }

    /**
     * Stages a copy of one record that may be dropped (a thread's definition), without waiting.
     * Refused, and counted as dropped by the global buffer (in its next header, so in the trace),
     * when the droppable records waiting already hold the staging limit ({@link
     * Builder#droppableStagingBytes}), or when the global buffer is full at the move and no room
     * can be made.
     *
     * @return true if staged (it may still be dropped at the move, counted); false if refused now (counted).
     * @throws IllegalArgumentException if {@code len <= 0}.
     */
    public boolean offerGlobal(final byte[] src, final int off, final int len)
    {
        return staging.stage(src, off, len, true);
    }

    /**
     * Brings a carrier online without a lock: its id and slot come from counters, its memory from
     * the pool (filled at open, so the usual carriers never allocate on their first write) or a new
     * allocation, and the buffer is published in a new snapshot by compare-and-set. A publication
     * that finds the channel closed gives the memory back, and the caller counts its event as
     * unattributed; one that lands before close is in the snapshot that close drains.
     */
    private boolean online(final Thread carrier)
    {
        if (closed)
        {
            return false;
        }
        final long carrierId = carrier.getId();
        if (bufferless.contains(carrierId) || (directMemoryExhausted && !mapped && pool.isEmpty()))
        {
            return false;
        }
        final int poolIndex = Carriers.poolIndex(carrier);
        final int id = nextBufferId.getAndIncrement();
        final int slot = Math.floorMod(poolIndex >= 0 ? poolIndex : nextPlatformSlot.getAndIncrement(), cpus);
        final BufferMemory memory;
        try
        {
            memory = allocate(id, slot, carrierId);
        }
        catch (final IOException ex)
        {
            // A mapped file that cannot be created: asked again on every event, it would fail
            // again, each time through the file system.
            bufferless.add(carrierId);
            reportBufferFailure("relaytrace: cannot map a buffer for carrier " + carrier.getName() + ": " + ex.getMessage() +
                "; its events are counted as unattributed, further such failures only counted");
            return false;
        }
        catch (final OutOfMemoryError ex)
        {
            // Direct memory exhausted. Trying again for every carrier, or every event, would stall
            // the application: the JDK collects and sleeps before it gives up on an allocation.
            directMemoryExhausted = true;
            reportBufferFailure("relaytrace: cannot allocate a buffer for carrier " + carrier.getName() + " (" + ex.getMessage() +
                "); from now on carriers only get buffers that others gave back, events without one are counted as " +
                "unattributed; give a larger -XX:MaxDirectMemorySize, a smaller subbuf-size or subbufs, or buffers=mmap");
            return false;
        }
        if (memory == null)
        {
            return false; // direct memory exhausted earlier, and no buffer given back since
        }
        final RelayBuffer buffer = new RelayBuffer(this, id, slot, carrier, memory);
        if (!CarrierTable.publish(SNAPSHOT, this, buffer))
        {
            recycle(memory);
            return !snapshot.isClosed();
        }
        carriersChanged = true;
        if (memory.file() != null)
        {
            callbacks.bufMapped(buffer, memory.file());
        }
        return true;
    }

    private void reportBufferFailure(final String line)
    {
        if (!bufferFailureReported.getAndSet(true))
        {
            System.err.println(line);
        }
    }

    /**
     * The global buffer gets at least {@link #GLOBAL_MIN_BYTES} (where direct memory allows), in the
     * channel's sub-buffer size:
     * definitions come in bursts (a storm of new threads writes one each) and a refused one costs
     * names, and there is only one global buffer, so its size does not multiply with the carriers.
     */
    private BufferMemory allocateGlobal() throws IOException
    {
        final int globalSubbufs = globalSubbufs(subbufSize, nSubbufs);
        if (mapped)
        {
            return map(0, -1, -1, globalSubbufs);
        }
        try
        {
            return new BufferMemory.Direct(subbufSize * globalSubbufs);
        }
        catch (final OutOfMemoryError ex)
        {
            return new BufferMemory.Direct(subbufSize * nSubbufs); // a small -XX:MaxDirectMemorySize: the carriers' size
        }
    }

    /**
     * @return the global buffer's sub-buffers: the channel's count, or more to reach
     *     {@link #GLOBAL_MIN_BYTES} (under 4 MiB + one sub-buffer, so the size cannot overflow).
     */
    private static int globalSubbufs(final int subbufSize, final int nSubbufs)
    {
        return Math.max(nSubbufs, (int)((GLOBAL_MIN_BYTES + subbufSize - 1) / subbufSize));
    }

    /**
     * @return the memory for a buffer: mapped, from the pool, or newly allocated; null once direct
     *     memory was found exhausted and the pool is empty.
     * @throws OutOfMemoryError if direct memory is exhausted (the first time).
     */
    private BufferMemory allocate(final int id, final int slot, final long carrierId) throws IOException
    {
        if (mapped)
        {
            return map(id, slot, carrierId, nSubbufs);
        }
        final BufferMemory memory = pool.take();
        if (memory != null)
        {
            return memory;
        }
        return directMemoryExhausted ? null : new BufferMemory.Direct(subbufSize * nSubbufs);
    }

    private BufferMemory map(final int id, final int slot, final long carrierId, final int subbufs) throws IOException
    {
        return BufferMemory.Mapped.create(
            parent.resolve(MappedBufferDescriptor.fileName(base, id)), id, slot, carrierId, subbufSize, subbufs);
    }

    /** Keeps process memory for the next carrier, up to the pool limit; mapped memory is never reused. */
    private void recycle(final BufferMemory memory)
    {
        if (memory instanceof BufferMemory.Mapped)
        {
            ((BufferMemory.Mapped)memory).delete();
            return;
        }
        pool.give(memory);
    }

    /**
     * Reports reader progress on a buffer, as the kernel's {@code relay_subbufs_consumed}: adds
     * {@code n}, clamped so consumed never passes produced.
     *
     * @param bufferId the buffer's id.
     * @param n        sub-buffers consumed.
     */
    public void subbufsConsumed(final int bufferId, final long n)
    {
        for (final RelayBuffer buffer : snapshot.buffers())
        {
            if (buffer.id() == bufferId)
            {
                buffer.subbufsConsumed(n);
                return;
            }
        }
        throw new IllegalArgumentException("bufferId=" + bufferId + " is not a buffer of this channel");
    }

    /**
     * Makes partial data readable, safely while carriers write: switches the caller's own buffer
     * (even an empty sub-buffer), the global buffer (after moving the staged global records into
     * it), and the buffers of carriers that ended; then, if files are set up and the mode streams,
     * writes every buffer's finished sub-buffers and committed partial data to the files before
     * returning. Waits for the flusher's disk writes (the drain lock): not for application threads.
     */
    public void flush()
    {
        final Thread carrier = Carriers.currentCarrier();
        final RelayBuffer own = carrier == null ? null : snapshot.get(carrier.getId());
        if (own != null)
        {
            own.forceSwitch();
        }
        // A buffer whose carrier ended has no writer, but concurrent flushes and the flusher's
        // retire() would each act as one: switch it only under the drain lock, and not once retired.
        // The global buffer's writer is whoever holds the drain lock and its monitor.
        drainLock.lock();
        try
        {
            synchronized (global)
            {
                moveStaged();
                global.forceSwitch();
            }
            for (final RelayBuffer buffer : snapshot.buffers())
            {
                if (buffer != own && buffer != global && !buffer.carrierAlive() && !buffer.isFinalized())
                {
                    buffer.forceSwitch();
                }
            }
        }
        finally
        {
            drainLock.unlock();
        }
        if (mode != RelayMode.FLIGHT_RECORDER)
        {
            drain(true);
        }
    }

    /**
     * Writes what the buffers hold now to the files, in every mode: for a flight recorder, the
     * last {@code nSubbufs} sub-buffers of every buffer (its snapshot).
     *
     * @throws IllegalStateException if no files are set up.
     */
    public void dump()
    {
        final OutputFiles output = this.output;
        if (output == null)
        {
            throw new IllegalStateException("no files set up: nothing to dump to");
        }
        drain(true); // the staged global records first
        // What the ended carriers held is in the files now: their buffers serve no later dump.
        retireEnded(output);
    }

    /**
     * Returns every buffer to its initial state (counters, padding, offset) and asks
     * {@code subbufStart} for the first sub-buffer, keeping the memory. Only while nobody writes.
     * Records staged for the global buffer were written as far as their writers know: they are
     * moved in first, and so forgotten with the rest (a record that must be kept and finds the
     * global buffer full is kept for after the reset).
     */
    public void reset()
    {
        synchronized (lock)
        {
            drainLock.lock();
            try
            {
                moveStaged();
                for (final RelayBuffer buffer : snapshot.buffers())
                {
                    synchronized (buffer)
                    {
                        buffer.reset();
                    }
                }
            }
            finally
            {
                drainLock.unlock();
            }
        }
    }

    /**
     * Closes the channel: finalizes every buffer (later writes are dropped and counted), writes
     * what they hold (the current sub-buffers' committed data included, each buffer ending with a
     * final block), writes the clean-close marker, and closes the files. Idempotent.
     */
    @Override
    public void close()
    {
        synchronized (lock)
        {
            if (closed)
            {
                return;
            }
            closed = true;
        }
        staging.close();
        // From here no carrier comes online: one whose publication lost to this gives its memory
        // back itself; one that won is in this snapshot.
        for (final RelayBuffer buffer : CarrierTable.publishClosed(SNAPSHOT, this).buffers())
        {
            if (buffer != global)
            {
                buffer.markFinalized();
            }
        }
        // Writes that passed the finalized check just before it was set complete within
        // nanoseconds; give them time to commit so their events are drained, not torn.
        LockSupport.parkNanos(QUIESCE_NANOS);
        flusher.stop();

        drainLock.lock();
        try
        {
            synchronized (global)
            {
                // Everything staged before the close, and whatever raced with it and was not
                // withdrawn; what must be kept but finds no room (a buffer-only channel whose
                // global buffer is full) is counted dropped.
                moveStaged();
                global.countRefused(staging.discard(), 0);
                global.markFinalized();
            }
            // Read again: a retire that ran on (a flusher that outlived its stop) took its buffer out.
            final RelayBuffer[] buffers = snapshot.buffers();
            final OutputFiles output = this.output;
            if (output != null)
            {
                for (final RelayBuffer buffer : buffers)
                {
                    drainBuffer(output, buffer, true);
                    writeFinal(output, buffer);
                }
                try
                {
                    output.writeClosedMarker(closedMarker(output));
                }
                catch (final IOException ex)
                {
                    System.err.println("relaytrace: cannot write the close marker in " + output.parent() + ": " + ex.getMessage());
                }
                output.close();
                finalBlocksNotWritten = output.blocksNotWritten();
                this.output = null;
                for (final Path path : output.paths())
                {
                    callbacks.removeBufFile(path);
                }
            }
            for (final RelayBuffer buffer : buffers)
            {
                release(buffer, output != null);
            }
            deliverWakeups();
            for (final Thread waiter : waiters)
            {
                LockSupport.unpark(waiter);
            }
        }
        finally
        {
            drainLock.unlock();
        }
    }

    private ClosedMarker closedMarker(final OutputFiles output)
    {
        final ChannelTotals t = totals();
        return new ClosedMarker(TraceClock.now(), t.events(), t.dropped(), t.tooBig(), t.lostSubbufs(),
            t.unattributed(), output.blocksNotWritten(), t.buffers(), failedEvents.get());
    }

    /**
     * Totals over every buffer the channel ever had, retired ones included (racy but never torn),
     * as the close marker will hold them.
     *
     * @return a snapshot.
     */
    public ChannelTotals totals()
    {
        synchronized (lock)
        {
            long events = retiredEvents;
            long dropped = retiredDropped;
            long tooBig = retiredTooBig;
            long lost = retiredLost;
            // The retired counters and the snapshot change together, under the lock, at a retire.
            final CarrierTable snapshot = this.snapshot;
            for (final RelayBuffer buffer : snapshot.buffers())
            {
                final RelayStats s = buffer.stats();
                events += s.events();
                dropped += s.dropped();
                tooBig += s.tooBig();
                lost += s.lostSubbufs();
            }
            return new ChannelTotals(events, dropped, tooBig, lost, unattributed.get(), blocksNotWritten(), snapshot.ever());
        }
    }

    /** @return every buffer online now, the global one first. */
    public List<RelayBuffer> buffers()
    {
        return List.of(snapshot.buffers());
    }

    /** @return the counters of every buffer online now, the global one first. */
    public List<RelayStats> stats()
    {
        final List<RelayStats> stats = new ArrayList<>();
        for (final RelayBuffer buffer : snapshot.buffers())
        {
            stats.add(buffer.stats());
        }
        return stats;
    }

    /** @return events refused because no buffer could serve the writing thread. */
    public long unattributed()
    {
        return unattributed.get();
    }

    /** @return buffers' memory kept for the next carriers to come online (process memory only). */
    public int pooledBuffers()
    {
        return pool.size();
    }

    /**
     * Counts events that the channel's client was asked to record but could not, because of an
     * error in its own code (a stack overflow, an allocation that failed): they never reached a
     * buffer, so no other count has them. The count goes into the close marker.
     * <p>
     * Lock-free, allocation-free, safe from any thread and after close (a count arriving after the
     * close marker was written is not in it).
     *
     * @param events how many, {@code >= 0}.
     */
    public void countFailedEvents(final long events)
    {
        failedEvents.getAndAdd(events);
    }

    /** @return events the channel's client failed to record ({@link #countFailedEvents(long)}). */
    public long failedEvents()
    {
        return failedEvents.get();
    }

    /** @return blocks the flusher could not write to the files (disk full, directory gone). */
    public long blocksNotWritten()
    {
        final OutputFiles output = this.output;
        return output == null ? finalBlocksNotWritten : output.blocksNotWritten();
    }

    /**
     * @return buffers retired because their carrier ended (their totals are kept for the close
     *     marker), each counted once its memory was given back.
     */
    public int retiredBuffers()
    {
        synchronized (lock)
        {
            return retired;
        }
    }

    public boolean isClosed()
    {
        return closed;
    }

    public int subbufSize()
    {
        return subbufSize;
    }

    public int nSubbufs()
    {
        return nSubbufs;
    }

    public int cpus()
    {
        return cpus;
    }

    public RelayMode mode()
    {
        return mode;
    }

    /** @return the trace directory, or null while buffer-only. */
    public Path parent()
    {
        synchronized (lock)
        {
            return parent;
        }
    }

    RelayCallbacks callbacks()
    {
        return callbacks;
    }

    // ---- flusher side ----

    /** A writer finished a sub-buffer: mark a wake-up due if a reader waits. Never blocks. */
    void wakeReaders()
    {
        if (waiterCount != 0)
        {
            wakePending = true;
        }
    }

    void addWaiter(final Thread thread)
    {
        waiters.add(thread);
        waiterCount = waiters.size();
    }

    void removeWaiter(final Thread thread)
    {
        waiters.remove(thread);
        waiterCount = waiters.size();
    }

    void deliverWakeups()
    {
        if (wakePending)
        {
            wakePending = false;
            for (final Thread waiter : waiters)
            {
                LockSupport.unpark(waiter);
            }
        }
    }

    /** The flusher's poll: staged global records moved in, in every mode; then, if the mode streams, the drain. */
    void backgroundDrain(final boolean periodic)
    {
        if (mode != RelayMode.FLIGHT_RECORDER)
        {
            drain(periodic);
            return;
        }
        moveStagedGlobal();
    }

    /** Moves the staged global records in, then writes every buffer to the files if they are set up. */
    private void drain(final boolean partial)
    {
        drainLock.lock();
        try
        {
            moveStaged();
            final OutputFiles output = this.output;
            if (output == null)
            {
                return; // buffer-only, or closed meanwhile
            }
            for (final RelayBuffer buffer : snapshot.buffers())
            {
                // The global buffer is read without its monitor, as the carriers' buffers are: its
                // writes (the moves above, other writers under the monitor) are one writer to a reader.
                drainBuffer(output, buffer, partial);
            }
        }
        finally
        {
            drainLock.unlock();
        }
    }

    /**
     * Moves the staged global records into the global buffer, under its monitor (reentrant: flush
     * and close hold it already, to switch or finalize the buffer right after); caller holds the
     * drain lock. The two together make the caller the global buffer's single writer. Application
     * threads never get here: they only stage.
     */
    private void moveStaged()
    {
        synchronized (global)
        {
            staging.moveTo(global, makeGlobalRoom);
        }
    }

    /**
     * The global buffer refused a staged record: writes its finished sub-buffers out, if the mode
     * streams to files, so that the record can go in. Caller holds the drain lock.
     *
     * @return false if no room can be made now.
     */
    private boolean makeGlobalRoom()
    {
        final OutputFiles output = this.output;
        if (output == null || mode == RelayMode.FLIGHT_RECORDER)
        {
            return false;
        }
        drainBuffer(output, global, false);
        return true;
    }

    private void drainBuffer(final OutputFiles output, final RelayBuffer buffer, final boolean partial)
    {
        final RelayReader reader = buffer.flushReader();
        while (reader.readBlock(scratch, partial, crc))
        {
            output.append(buffer.cpuSlot(), scratch);
        }
    }

    private void writeFinal(final OutputFiles output, final RelayBuffer buffer)
    {
        buffer.writeFinalBlock(scratch, crc);
        output.append(buffer.cpuSlot(), scratch);
    }

    /** @return whether a carrier came online since the last call. */
    boolean takeCarriersChanged()
    {
        if (carriersChanged)
        {
            carriersChanged = false;
            return true;
        }
        return false;
    }

    /**
     * Retires the buffers of carriers that ended: drain, final block, recycle the memory. A flight
     * recorder keeps them for the next dump, but not without end (a server that cycles threads
     * would grow with every thread): beyond {@code keepEnded} of them, those that ended first are
     * retired unread, their events counted lost, as overwritten ones are.
     */
    void retireOfflineCarriers()
    {
        final OutputFiles output = this.output;
        if (output == null)
        {
            return; // nowhere to put their events yet
        }
        if (mode != RelayMode.FLIGHT_RECORDER)
        {
            retireEnded(output);
            return;
        }
        final long now = System.nanoTime();
        int ended = 0;
        for (final RelayBuffer buffer : snapshot.buffers())
        {
            if (buffer != global && !buffer.carrierAlive())
            {
                buffer.noticeEnded(now);
                ended++;
            }
        }
        for (; ended > keepEnded; ended--)
        {
            retire(output, firstEnded(), false);
        }
    }

    /** Retires every buffer whose carrier ended, writing what it holds to the files first. */
    private void retireEnded(final OutputFiles output)
    {
        for (final RelayBuffer buffer : snapshot.buffers())
        {
            if (buffer != global && !buffer.carrierAlive())
            {
                retire(output, buffer, true);
            }
        }
    }

    /** @return the buffer whose carrier was first noticed ended (flusher side; a few a sweep). */
    private RelayBuffer firstEnded()
    {
        RelayBuffer first = null;
        for (final RelayBuffer buffer : snapshot.buffers())
        {
            if (buffer != global && buffer.endedNoticed() != 0 && (first == null || buffer.endedNoticed() - first.endedNoticed() < 0))
            {
                first = buffer;
            }
        }
        return first;
    }

    private void retire(final OutputFiles output, final RelayBuffer buffer, final boolean keepEvents)
    {
        drainLock.lock();
        try
        {
            if (this.output != output || !snapshot.contains(buffer))
            {
                return; // the channel closed meanwhile, and drained it
            }
            buffer.markFinalized();
            if (keepEvents)
            {
                drainBuffer(output, buffer, true);
            }
            else
            {
                buffer.discardUnread();
            }
            writeFinal(output, buffer);
            synchronized (lock)
            {
                // Carriers coming online may replace the snapshot meanwhile: out by compare-and-set.
                CarrierTable.unpublish(SNAPSHOT, this, buffer);
                final RelayStats s = buffer.stats();
                retiredEvents += s.events();
                retiredDropped += s.dropped();
                retiredTooBig += s.tooBig();
                retiredLost += s.lostSubbufs();
            }
            try
            {
                release(buffer, true);
            }
            finally
            {
                // Counted once its memory is back in the pool: a carrier that comes online after
                // seeing the count can have it.
                synchronized (lock)
                {
                    retired++;
                }
            }
        }
        finally
        {
            drainLock.unlock();
        }
    }

    /**
     * Gives up pooled memory that no carrier needed through a whole interval: after a burst of
     * threads ended, the process's memory goes back down instead of staying at the pool's limit.
     */
    void trimPool()
    {
        pool.trim();
    }

    /** Gives a finished buffer's memory back: to the pool, or unmapped (and, once drained, deleted). */
    private void release(final RelayBuffer buffer, final boolean drained)
    {
        final BufferMemory memory = buffer.backing();
        if (memory instanceof BufferMemory.Mapped)
        {
            callbacks.bufUnmapped(buffer, memory.file());
            if (drained)
            {
                recycle(memory);
            }
        }
        else if (buffer != global)
        {
            recycle(memory);
        }
    }

    /** The lock the flusher holds while it writes; tests hold it to stall the flusher as a slow disk would. */
    ReentrantLock drainLock()
    {
        return drainLock;
    }

    /**
     * Something the flusher called threw (a client's callback, the heap exhausted by the
     * application...): it goes on at its next poll. Said once, counted after that: a failure that
     * repeats would otherwise print a line every poll.
     */
    void flusherFailed(final Throwable t)
    {
        if (flusherFailures++ == 0)
        {
            System.err.println("relaytrace: flusher error, continuing (" + t + "); further flusher errors are only counted");
        }
    }

    /** @return errors the flusher thread met and went on after. */
    public long flusherFailures()
    {
        return flusherFailures;
    }

    /** Options for {@link RelayChannel#builder()}. */
    public static final class Builder
    {
        private String base;
        private Path parent;
        private int subbufSize = 256 * 1024;
        private int nSubbufs = 8;
        private int cpus = Runtime.getRuntime().availableProcessors();
        private RelayCallbacks callbacks;
        private RelayMode mode = RelayMode.DISCARD;
        private boolean mapped;
        private long flushIntervalNanos = TimeUnit.SECONDS.toNanos(1);
        private int poolLimit = 64;
        private int keepEnded = DEFAULT_KEEP_ENDED;
        private long droppableStagingBytes = DEFAULT_DROPPABLE_STAGING_BYTES;
        private final Map<String, String> properties = new LinkedHashMap<>();

        private Builder()
        {
        }

        /** Base name and directory of the files; both null for a buffer-only channel. */
        public Builder files(final String base, final Path parent)
        {
            if ((base == null) != (parent == null))
            {
                throw new IllegalArgumentException("base=" + base + " parent=" + parent + ": give both or neither");
            }
            this.base = base;
            this.parent = parent;
            return this;
        }

        public Builder geometry(final int subbufSize, final int nSubbufs)
        {
            // A multiple of 8 keeps every header field aligned, as ordered (release) stores need.
            if (subbufSize < MIN_SUBBUF_SIZE || subbufSize % 8 != 0 || nSubbufs < 1 ||
                (long)subbufSize * nSubbufs > Integer.MAX_VALUE - 64)
            {
                throw new IllegalArgumentException("subbufSize=" + subbufSize + " nSubbufs=" + nSubbufs +
                    ": need subbufSize >= " + MIN_SUBBUF_SIZE + " and a multiple of 8, nSubbufs >= 1, and their product < 2 GiB");
            }
            this.subbufSize = subbufSize;
            this.nSubbufs = nSubbufs;
            return this;
        }

        /** Callbacks of the client's own; they replace those of the mode, which still decides when the flusher writes. */
        public Builder callbacks(final RelayCallbacks callbacks)
        {
            this.callbacks = callbacks;
            return this;
        }

        public Builder mode(final RelayMode mode)
        {
            this.mode = java.util.Objects.requireNonNull(mode, "mode");
            return this;
        }

        public Builder cpus(final int cpus)
        {
            if (cpus < 1 || cpus > 4096)
            {
                throw new IllegalArgumentException("cpus=" + cpus + " must be between 1 and 4096");
            }
            this.cpus = cpus;
            return this;
        }

        /** Buffers in memory-mapped files in the trace directory (needs the files at open). */
        public Builder mapped(final boolean mapped)
        {
            this.mapped = mapped;
            return this;
        }

        public Builder flushInterval(final long amount, final TimeUnit unit)
        {
            if (amount <= 0)
            {
                throw new IllegalArgumentException("flush interval=" + amount + " " + unit + " must be > 0");
            }
            this.flushIntervalNanos = unit.toNanos(amount);
            return this;
        }

        /** How many buffers' memory to keep for carriers that come online later. */
        public Builder poolLimit(final int poolLimit)
        {
            this.poolLimit = Math.max(0, poolLimit);
            return this;
        }

        /**
         * Flight recorder: how many carriers that ended keep their buffers, and so their last events,
         * for the next dump (default {@value RelayChannel#DEFAULT_KEEP_ENDED}); when more end, those
         * that ended first give theirs up, their events counted lost.
         */
        public Builder keepEnded(final int keepEnded)
        {
            this.keepEnded = Math.max(0, keepEnded);
            return this;
        }

        /**
         * Bytes of droppable global records ({@link RelayChannel#offerGlobal}) that may wait at once
         * for the flusher to move them into the global buffer; beyond, they are dropped and counted.
         */
        public Builder droppableStagingBytes(final long bytes)
        {
            if (bytes < 0)
            {
                throw new IllegalArgumentException("droppableStagingBytes=" + bytes + " must be >= 0");
            }
            this.droppableStagingBytes = bytes;
            return this;
        }

        /** A fact for the header file (JVM, options...). */
        public Builder property(final String key, final String value)
        {
            properties.put(key, value);
            return this;
        }

        /**
         * @return the open channel, its flusher running.
         * @throws IOException if the files cannot be created.
         */
        public RelayChannel open() throws IOException
        {
            if (mapped && parent == null)
            {
                throw new IllegalArgumentException("buffers=mmap needs the trace directory at open");
            }
            final RelayChannel channel = new RelayChannel(this);
            if (parent != null)
            {
                channel.setupFiles(base, parent);
            }
            channel.openGlobal();
            channel.fillPool();
            channel.flusher.start();
            return channel;
        }
    }
}
