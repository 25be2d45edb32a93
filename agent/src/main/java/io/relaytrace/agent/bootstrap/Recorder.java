package io.relaytrace.agent.bootstrap;

import io.relaytrace.relay.RelayBuffer;
import io.relaytrace.relay.RelayChannel;
import io.relaytrace.relay.clock.TraceClock;

import java.nio.ByteBuffer;
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
 *   <li>Every event it is called for is written, refused and counted by the channel (dropped, too
 *       big, unattributed), or counted failed: an error inside the recorder (a stack overflow at
 *       the edge of the stack), an event on a thread the recorder gave up on (it ran out of memory
 *       there), an event raised inside the recorder's own slow path. Each once, and without a
 *       call (see {@link #countFailure()}), so that the count cannot itself overflow the stack;
 *       what escapes the recorder before it could count is counted by {@link Tracer}, and what
 *       the traced methods' very call of {@link Tracer} threw by those methods; all in one count
 *       ({@link Tracer#callFailures}), handed to the channel ({@link RelayChannel#countFailedEvents(long)},
 *       which puts it in the close marker) by {@link #reportFailures()}. Limit: it includes the
 *       failing calls of advice left from an earlier trace, after a detach.</li>
 *   <li>Fast path, for an ENTER or EXIT on the thread that wrote its carrier's buffer last (which
 *       is then known: its THREAD_DEF and THREAD record are written): the carrier lookup, a clock
 *       read, one record; no lock, no allocation, no atomic read-modify-write, no per-thread state.
 *       Nothing between the buffer lookup and the commit can block, so a virtual thread stays on
 *       the carrier whose buffer it writes.</li>
 *   <li>A thread's THREAD_DEF is in the global buffer before its first event; a THREAD record
 *       precedes the events of a thread in a buffer that another thread wrote last.</li>
 *   <li>Writes never nest: an event raised on a thread inside the slow path (defining a thread or
 *       an exception class, switching a buffer's thread) is skipped; between a reservation and its
 *       commit only JDK code runs (buffer stores, a release store), which calls nothing that is
 *       traced. So a reservation found open was abandoned, and is discarded (see writeEvent).</li>
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
    private final AtomicLong definitionsLost = new AtomicLong();
    private volatile Throwable firstFailure;
    private volatile String firstDefinitionLost;
    // The reporting thread's own (the status thread, then the closing one, never at once).
    private boolean failureReported;
    private boolean definitionLossReported;
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
        synchronized (Tracer.CALL_FAILURE_LOCK)
        {
            Tracer.callFailures = 0; // counted while no trace ran: not this trace's events
        }
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

    /**
     * @return events that could not be recorded (something threw, or the thread was given up on),
     *     as counted on the channel.
     */
    public long failures()
    {
        synchronized (Tracer.CALL_FAILURE_LOCK)
        {
            return channel.failedEvents() + Tracer.callFailures;
        }
    }

    /**
     * @return definitions refused when staged for the global buffer: too big for a sub-buffer, the
     *     channel closed, or (a thread's) more staged than the channel's bound; the trace counts
     *     them too, as the global buffer's dropped or too big.
     */
    public long definitionsLost()
    {
        return definitionsLost.get();
    }

    public void enter(final int methodId)
    {
        record(ENTER_HEADER, methodId);
    }

    public void exit(final int methodId)
    {
        record(EXIT_HEADER, methodId);
    }

    public void exitThrow(final int methodId, final Throwable thrown)
    {
        if (methodId >= firstMethodId)
        {
            try
            {
                recordSlow(THROW_HEADER, methodId, thrown);
            }
            catch (final Throwable t)
            {
                failed(t); // an overflow at the call, or in recordSlow's own count: not counted there
            }
        }
    }

    /**
     * The fast path: the carrier's buffer was last written by this thread, so the thread is
     * defined and the buffer's context is already it.
     */
    private void record(final int header, final int methodId)
    {
        if (methodId < firstMethodId)
        {
            return; // advice left running from an earlier trace: its id is not defined in this one
        }
        try
        {
            final long threadId = Thread.currentThread().getId();
            final RelayBuffer buffer = channel.buffer();
            if (buffer == null)
            {
                return; // no buffer for this carrier: the channel counted the event as unattributed
            }
            if (buffer.context() == threadId)
            {
                writeEvent(buffer, header, methodId, 0);
                return;
            }
            recordSlow(header, methodId, null);
        }
        catch (final Throwable t)
        {
            // A stack overflow in deep recursion, before anything was reserved (or between a
            // reservation and its commit, see writeEvent), or at the call of recordSlow or in its
            // own count, which then was not taken.
            failed(t);
        }
    }

    /**
     * The slow path: a thread seen for the first time, a carrier another thread wrote last, an
     * exception to record; guarded per thread against re-entry.
     */
    private void recordSlow(final int header, final int methodId, final Throwable thrown)
    {
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
            // Re-entered on this thread (skip rather than nest), or given up on it before.
            countFailure();
            return;
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
            // The thread's definition or state could not be allocated: trying again on every call
            // would fail again, slowly, under a memory pressure the tracer must not add to. (A
            // carrier's buffer that cannot be allocated is the channel's to remember: it answers
            // null for that carrier from then on.)
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
        writeEvent(buffer, header, methodId, classId);
    }

    /**
     * Between reserve and commit nothing may fail but a StackOverflowError, in deep recursion, at
     * a call the interpreter (or code the JIT did not inline) makes. Such an event is lost, and
     * counted by the caller; its reservation, left open, is discarded by the next reservation on
     * the buffer (writes of the recorder never nest: {@link RelayBuffer#reserveNonNested}), so the
     * buffer goes on publishing and the trace stays whole.
     */
    private static void writeEvent(final RelayBuffer buffer, final int header, final int methodId, final int classId)
    {
        // Everything that calls out, the clock included, comes before the reservation.
        final ByteBuffer memory = buffer.memory();
        final long timestamp = TraceClock.now();
        final int at = buffer.reserveNonNested(header >>> LENGTH_SHIFT);
        if (at == RelayBuffer.REFUSED)
        {
            return;
        }
        fillEvent(memory, at, header, methodId, timestamp, classId);
        buffer.commit();
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
        final byte[] record = GlobalRecords.threadDef(threadId, isVirtual(thread), TraceClock.now(), thread.getName());
        if (!GlobalRecords.tryWrite(channel, record))
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
        final long timestamp = TraceClock.now();
        final int at = buffer.reserveNonNested(THREAD_LENGTH);
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

    /*
     * Failures are said on stderr by reportFailures(), from the agent's own thread, never from the
     * thread that failed: that one may be at the edge of its stack, where a JDK class initialised
     * by the print (java.nio.CharBuffer, on a JVM's first print) fails its initialisation for good,
     * and the application's own next print would throw NoClassDefFoundError. Here only a reference
     * is kept: no allocation, no call that could fail in turn.
     */
    private void failed(final Throwable t)
    {
        countFailure();
        if (firstFailure == null)
        {
            firstFailure = t; // racy: some early failure is reported, not necessarily the first
        }
    }

    /**
     * Counts one event that could not be recorded. Calls no method: neither can it overflow the
     * stack after the count was taken, nor, inlined where it is needed ({@link Tracer}), before.
     * A call to this method itself may overflow; then nothing was counted, and the frame that
     * catches that overflow counts the event instead.
     */
    void countFailure()
    {
        synchronized (Tracer.CALL_FAILURE_LOCK)
        {
            Tracer.callFailures++;
        }
    }

    /** Hands the failed events counted so far to the channel, for its close marker. */
    private void handOverFailures()
    {
        synchronized (Tracer.CALL_FAILURE_LOCK)
        {
            final long pending = Tracer.callFailures;
            Tracer.callFailures = 0;
            if (pending > 0)
            {
                channel.countFailedEvents(pending); // under the lock: failures() never sees them twice
            }
        }
    }

    private void definitionLost(final String what)
    {
        if (definitionsLost.getAndIncrement() == 0)
        {
            firstDefinitionLost = what;
        }
    }

    /**
     * Hands the events that could not be recorded to the channel's count, and says on stderr, once
     * each, the first failure to record an event and the first definition lost, if they happened
     * since the last call. Called by the agent's status thread every second and when the trace
     * closes, before the channel closes; never by a traced thread.
     */
    public void reportFailures()
    {
        handOverFailures();
        final Throwable failure = firstFailure;
        if (failure != null && !failureReported)
        {
            failureReported = true;
            System.err.println("relaytrace: an event could not be recorded (" + failure + "); tracing goes on, " +
                "further failures are only counted");
        }
        final String definition = firstDefinitionLost;
        if (definition != null && !definitionLossReported)
        {
            definitionLossReported = true;
            System.err.println("relaytrace: the definition of " + definition + " is lost (the global buffer " +
                "could not take it: too big, or too many new threads at once); give a larger subbuf-size or subbufs");
        }
    }
}
