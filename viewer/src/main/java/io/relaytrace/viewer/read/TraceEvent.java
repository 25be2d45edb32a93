package io.relaytrace.viewer.read;

import io.relaytrace.event.EventDescriptor;

/**
 * One decoded event, as a reused flyweight: valid until the stream that produced it moves on.
 * Copy the fields you keep.
 * <p>
 * Types are those of {@link EventDescriptor}: {@code ENTER}, {@code EXIT}, {@code THROW}, and
 * {@code THREAD} (the thread was mounted on the carrier at that time); and {@link #LOSS}, which no
 * record holds: the reader found that the buffer lost events at this point.
 */
public final class TraceEvent
{
    /**
     * Events of this buffer were lost after its previous event: dropped (buffer full), too big,
     * lapped, damaged or never written. The timestamp is that of the buffer's previous event (the
     * loss came after it), {@link Long#MIN_VALUE} if the loss came before its first; the loss
     * ends at the buffer's next event. Outside the byte range of record types, so it never
     * collides with one. Consecutive losses with no event between them are one LOSS.
     */
    public static final int LOSS = 0x100;

    int type;
    long timestamp;
    long threadId;
    long carrierId;
    int bufferId;
    int methodId;
    int exceptionClassId;
    /** LOSS: the buffer's carrier ran other threads (virtual ones), so the lost events may be theirs. */
    boolean sharedCarrier;
    /** The first event after a LOSS with {@link #sharedCarrier}: the loss window ends here. */
    boolean endsSharedLoss;

    /** @return the {@link EventDescriptor} type. */
    public int type()
    {
        return type;
    }

    /** @return {@code System.nanoTime()} of the traced JVM when the event happened. */
    public long timestamp()
    {
        return timestamp;
    }

    /** @return the thread the event belongs to. */
    public long threadId()
    {
        return threadId;
    }

    /** @return the carrier thread whose buffer held the event. */
    public long carrierId()
    {
        return carrierId;
    }

    /** @return the relay buffer that held the event. */
    public int bufferId()
    {
        return bufferId;
    }

    /** @return the method of ENTER, EXIT and THROW; 0 for THREAD. */
    public int methodId()
    {
        return methodId;
    }

    /** @return the exception class of THROW; 0 otherwise. */
    public int exceptionClassId()
    {
        return exceptionClassId;
    }

    /** @return true for ENTER, EXIT and THROW: a call boundary (not THREAD, not LOSS). */
    public boolean isCall()
    {
        return type == EventDescriptor.ENTER || type == EventDescriptor.EXIT || type == EventDescriptor.THROW;
    }

    /** @return true for EXIT and THROW: the end of a call. */
    public boolean isCallEnd()
    {
        return type == EventDescriptor.EXIT || type == EventDescriptor.THROW;
    }

    void copyFrom(final TraceEvent other)
    {
        type = other.type;
        timestamp = other.timestamp;
        threadId = other.threadId;
        carrierId = other.carrierId;
        bufferId = other.bufferId;
        methodId = other.methodId;
        exceptionClassId = other.exceptionClassId;
        sharedCarrier = other.sharedCarrier;
        endsSharedLoss = other.endsSharedLoss;
    }
}
