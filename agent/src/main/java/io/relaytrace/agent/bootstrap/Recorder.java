package io.relaytrace.agent.bootstrap;

import io.relaytrace.relay.RelayBuffer;
import io.relaytrace.relay.RelayChannel;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static io.relaytrace.event.EventDescriptor.*;

/**
 * Turns method entries and exits into ENTER, EXIT and THROW records in the current carrier's relay
 * buffer, with the definitions they need written first into the global buffer. One recorder per
 * trace; the advice reaches it through {@link Tracer}.
 * <p>
 * Assumptions: the advice calls {@link #enter}, {@link #exit} and {@link #exitThrow} with ids from
 * {@link #defineMethod}; code called from here is never instrumented.
 * <p>
 * Guarantees, per event:
 * <ul>
 *   <li>Never throws: anything thrown is counted and reported once on stderr.</li>
 *   <li>Fast path (thread known, same thread as the buffer's last writer): no lock, no allocation,
 *       no atomic read-modify-write; nothing between the buffer lookup and the commit can block,
 *       so a virtual thread stays on the carrier whose buffer it writes.</li>
 *   <li>A thread's THREAD_DEF is in the global buffer before its first event; a THREAD record
 *       precedes the events of a thread in a buffer that another thread wrote last.</li>
 *   <li>An event raised on a thread already inside the recorder is skipped, never nested.</li>
 * </ul>
 */
public final class Recorder
{
    private static final boolean VIRTUAL_THREADS = Runtime.version().feature() >= 21;

    private static final int ENTER_HEADER = header(ENTER, ENTER_LENGTH);
    private static final int EXIT_HEADER = header(EXIT, EXIT_LENGTH);
    private static final int THROW_HEADER = header(THROW, THROW_LENGTH);
    private static final int THREAD_HEADER = header(THREAD, THREAD_LENGTH);

    /**
     * Method ids are unique in the JVM, not only in a trace: after a detach, a frame that entered
     * instrumented code during an earlier trace can still run its old advice, with an earlier
     * trace's id, which a later trace must not mistake for one of its own.
     */
    private static final AtomicInteger NEXT_METHOD_ID = new AtomicInteger(1);

    /*
     * Between reserve and commit nothing may fail: a reservation left open keeps every later commit
     * of the buffer unpublished (only the outermost commit publishes), and a slot committed unfilled
     * misleads a reader. The only failure possible there is a StackOverflowError, in deep recursion,
     * at a call the interpreter makes. So the fill and the commit's release store are first run,
     * from the same frame and through the same calls, on a scratch stripe: if the stack lacks room,
     * that dry run fails before anything is reserved and the event is skipped; if it succeeds, the
     * real ones, at the same depth, have room too. Stripes are per buffer (by id), one cache line
     * each, so carriers do not contend.
     */
    private static final int SCRATCH_STRIPES = 64;
    private static final int SCRATCH_STRIPE_BYTES = 64;
    private static final ByteBuffer SCRATCH =
        ByteBuffer.allocateDirect(SCRATCH_STRIPES * SCRATCH_STRIPE_BYTES).order(ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle SCRATCH_INT = MethodHandles.byteBufferViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    /** Where in a stripe the commit's dry run stores: past the largest record filled there. */
    private static final int SCRATCH_COMMIT_OFFSET = SCRATCH_STRIPE_BYTES - 4;

    static
    {
        // Initialise ClassValue's machinery now rather than at the first exception traced, which
        // may be a StackOverflowError deep in recursion: a JDK class whose initialisation fails
        // there stays unusable, and every THROW after it would fail.
        new ClassValue<Boolean>()
        {
            @Override
            protected Boolean computeValue(final Class<?> type)
            {
                return Boolean.TRUE;
            }
        }.get(Recorder.class);
    }

    private final RelayChannel channel;
    private final int firstMethodId;
    private final ThreadStates threads = new ThreadStates();
    private final Queue<byte[]> keptDefinitions;
    private final AtomicInteger nextClassId = new AtomicInteger(1);
    private final AtomicLong failures = new AtomicLong();
    private final AtomicLong definitionsLost = new AtomicLong();
    private final ClassValue<Integer> classIds = new ClassValue<>()
    {
        @Override
        protected Integer computeValue(final Class<?> type)
        {
            final int id = nextClassId.getAndIncrement();
            define(GlobalRecords.classDef(id, type.getName()), "class " + type.getName());
            return id;
        }
    };

    /**
     * @param channel         the open channel the events go to.
     * @param keepDefinitions true to keep method and class definitions for {@link #rewriteDefinitions()}
     *                        (a flight recorder, whose global buffer is overwritten too).
     */
    public Recorder(final RelayChannel channel, final boolean keepDefinitions)
    {
        this.channel = channel;
        this.firstMethodId = NEXT_METHOD_ID.get();
        this.keptDefinitions = keepDefinitions ? new ConcurrentLinkedQueue<>() : null;
    }

    /** @return the channel the events go to. */
    public RelayChannel channel()
    {
        return channel;
    }

    /**
     * Gives a method its id and writes its METHOD_DEF, at transform time, before any event can use it.
     *
     * @param className  binary name with dots.
     * @param methodName name to show ({@code <init>} for constructors).
     * @param descriptor JVM descriptor, e.g. {@code (Ljava/lang/String;I)V}.
     * @param access     access flags from the class file.
     * @return the id, positive, unique in this JVM.
     */
    public int defineMethod(final String className, final String methodName, final String descriptor, final int access)
    {
        final int id = NEXT_METHOD_ID.getAndIncrement();
        define(GlobalRecords.methodDef(id, className, methodName, descriptor, access), "method " + className + "." + methodName);
        return id;
    }

    /** @return events that could not be recorded because something threw. */
    public long failures()
    {
        return failures.get();
    }

    /** @return definitions the global buffer refused even after a flush. */
    public long definitionsLost()
    {
        return definitionsLost.get();
    }

    public void enter(final int methodId)
    {
        record(ENTER_HEADER, methodId, null);
    }

    public void exit(final int methodId)
    {
        record(EXIT_HEADER, methodId, null);
    }

    public void exitThrow(final int methodId, final Throwable thrown)
    {
        record(THROW_HEADER, methodId, thrown);
    }

    private void record(final int header, final int methodId, final Throwable thrown)
    {
        if (methodId < firstMethodId)
        {
            return; // advice left running from an earlier trace: its id is not defined in this one
        }
        final Thread thread = Thread.currentThread();
        final long threadId = thread.getId();
        final byte[] states;
        try
        {
            states = threads.chunk(threadId);
        }
        catch (final Throwable t)
        {
            failed(t);
            return;
        }
        final int slot = ThreadStates.slot(threadId);
        final byte state = states[slot];
        if (state != ThreadStates.DEFINED && state != ThreadStates.NEW)
        {
            return; // re-entered on this thread (skip rather than nest), or failed on it before
        }
        states[slot] = ThreadStates.BUSY;
        byte after = ThreadStates.DEFINED;
        try
        {
            if (state == ThreadStates.NEW)
            {
                defineThread(thread, threadId);
            }
            write(header, methodId, thrown, thread, threadId);
        }
        catch (final OutOfMemoryError t)
        {
            // Its carrier's buffer could not be allocated, say: trying again on every call would
            // fail again, slowly (direct memory allocation collects and sleeps before giving up).
            after = ThreadStates.FAILED;
            failed(t);
        }
        catch (final Throwable t)
        {
            failed(t); // a stack overflow in deep recursion, typically: the next event may have room
        }
        finally
        {
            states[slot] = after;
        }
    }

    private void write(final int header, final int methodId, final Throwable thrown, final Thread thread, final long threadId)
    {
        // Anything that may block or load classes comes before the buffer lookup: from the lookup
        // to the commit, a virtual thread must stay on the carrier whose buffer it writes.
        final int classId = thrown == null ? 0 : classIds.get(thrown.getClass());
        final RelayBuffer buffer = channel.buffer();
        if (buffer == null || (buffer.context() != threadId && !switchThread(buffer, thread, threadId)))
        {
            return;
        }
        // Everything that calls out comes before the reservation, and a dry run proves the stack
        // has room for the fill and the commit (see SCRATCH).
        final ByteBuffer memory = buffer.memory();
        final long timestamp = System.nanoTime();
        final int stripe = scratchSlot(buffer);
        fillEvent(SCRATCH, stripe, header, methodId, timestamp, classId);
        dryCommit(stripe);
        final int at = buffer.reserve(header >>> LENGTH_SHIFT);
        if (at == RelayBuffer.REFUSED)
        {
            return;
        }
        fillEvent(memory, at, header, methodId, timestamp, classId);
        buffer.commit();
    }

    private static int scratchSlot(final RelayBuffer buffer)
    {
        return (buffer.id() & (SCRATCH_STRIPES - 1)) * SCRATCH_STRIPE_BYTES;
    }

    /** The commit's dry run: one frame, then a release store through a VarHandle, as in {@code commit}. */
    private static void dryCommit(final int stripe)
    {
        SCRATCH_INT.setRelease(SCRATCH, stripe + SCRATCH_COMMIT_OFFSET, 0);
    }

    private static void fillEvent(
        final ByteBuffer memory, final int at, final int header, final int methodId, final long timestamp, final int classId)
    {
        memory.putInt(at, header);
        memory.putInt(at + METHOD_ID_OFFSET, methodId);
        memory.putLong(at + TIMESTAMP_OFFSET, timestamp);
        if (header == THROW_HEADER)
        {
            memory.putInt(at + EXCEPTION_CLASS_ID_OFFSET, classId);
            memory.putInt(at + EXCEPTION_CLASS_ID_OFFSET + 4, 0);
        }
    }

    private static void fillThread(final ByteBuffer memory, final int at, final int flags, final long timestamp, final long threadId)
    {
        memory.putInt(at, THREAD_HEADER);
        memory.putInt(at + THREAD_FLAGS_OFFSET, flags);
        memory.putLong(at + TIMESTAMP_OFFSET, timestamp);
        memory.putLong(at + THREAD_ID_OFFSET, threadId);
    }

    /** Slow path, once per thread: its THREAD_DEF into the global buffer. */
    private void defineThread(final Thread thread, final long threadId)
    {
        final byte[] record = GlobalRecords.threadDef(threadId, isVirtual(thread), System.nanoTime(), thread.getName());
        if (!GlobalRecords.write(channel, record))
        {
            definitionLost("thread " + threadId);
        }
    }

    /** A method or class definition: written now, and kept if it must be written again at the end. */
    private void define(final byte[] record, final String what)
    {
        if (keptDefinitions != null)
        {
            keptDefinitions.add(record);
        }
        if (!GlobalRecords.write(channel, record))
        {
            definitionLost(what);
        }
    }

    /**
     * Writes every method and class definition again, so that the last sub-buffers of an
     * overwritten global buffer (a flight recorder's snapshot) hold them. Call just before the
     * channel closes; only for a recorder that keeps its definitions.
     *
     * @return definitions written again.
     */
    public int rewriteDefinitions()
    {
        if (keptDefinitions == null)
        {
            throw new IllegalStateException("this recorder does not keep its definitions");
        }
        int written = 0;
        for (final byte[] record : keptDefinitions)
        {
            if (GlobalRecords.write(channel, record))
            {
                written++;
            }
        }
        return written;
    }

    /**
     * Slow path, when another thread wrote this buffer last: a THREAD record, then the buffer's
     * context, which the runtime stamps into every sub-buffer header it enters from now on.
     *
     * @return false if the record was refused; the event is then skipped too, because it would be
     *     attributed to the wrong thread.
     */
    private static boolean switchThread(final RelayBuffer buffer, final Thread thread, final long threadId)
    {
        final ByteBuffer memory = buffer.memory();
        final int flags = isVirtual(thread) ? FLAG_VIRTUAL : 0;
        final long timestamp = System.nanoTime();
        final int stripe = scratchSlot(buffer);
        fillThread(SCRATCH, stripe, flags, timestamp, threadId);
        dryCommit(stripe);
        final int at = buffer.reserve(THREAD_LENGTH);
        if (at == RelayBuffer.REFUSED)
        {
            return false;
        }
        fillThread(memory, at, flags, timestamp, threadId);
        buffer.commit();
        buffer.context(threadId);
        return true;
    }

    private static boolean isVirtual(final Thread thread)
    {
        return VIRTUAL_THREADS && thread.isVirtual();
    }

    private void failed(final Throwable t)
    {
        if (failures.getAndIncrement() == 0)
        {
            System.err.println("relaytrace: an event could not be recorded (" + t + "); tracing goes on (a thread " +
                "out of memory for its buffer is no longer traced), further failures are only counted");
        }
    }

    private void definitionLost(final String what)
    {
        if (definitionsLost.getAndIncrement() == 0)
        {
            System.err.println("relaytrace: the global buffer is full, the definition of " + what +
                " is lost; give a larger subbuf-size or subbufs");
        }
    }
}
