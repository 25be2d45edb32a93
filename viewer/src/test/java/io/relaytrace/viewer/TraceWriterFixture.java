package io.relaytrace.viewer;

import io.relaytrace.event.EventDescriptor;
import io.relaytrace.relay.RelayBuffer;
import io.relaytrace.relay.RelayChannel;
import io.relaytrace.relay.RelayMode;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static io.relaytrace.event.EventDescriptor.*;

/**
 * Writes traces for tests the way the agent will: a real {@link RelayChannel}, definitions in the
 * global buffer, and ENTER/EXIT/THROW records in the buffer of the calling thread's carrier,
 * preceded by a THREAD record whenever the buffer's last writer was another thread. The one
 * place where tests encode events.
 */
public final class TraceWriterFixture implements AutoCloseable
{
    private final RelayChannel channel;

    private TraceWriterFixture(final RelayChannel channel)
    {
        this.channel = channel;
    }

    /** A discard-mode channel writing {@code trace.*} files into {@code dir}. */
    public static TraceWriterFixture open(
        final Path dir, final int subbufSize, final int nSubbufs, final int cpus) throws IOException
    {
        return open(dir, subbufSize, nSubbufs, cpus, RelayMode.DISCARD, 1000);
    }

    public static TraceWriterFixture open(
        final Path dir, final int subbufSize, final int nSubbufs, final int cpus, final RelayMode mode,
        final long flushMillis) throws IOException
    {
        return new TraceWriterFixture(RelayChannel.builder()
            .files("trace.", dir)
            .geometry(subbufSize, nSubbufs)
            .cpus(cpus)
            .mode(mode)
            .flushInterval(flushMillis, TimeUnit.MILLISECONDS)
            .open());
    }

    /**
     * A discard-mode channel with no files yet: nothing drains its buffers, so a writer that fills
     * its buffer has its next events dropped (and counted), as behind a stalled flusher, until
     * {@link #setupFiles} lets the flusher catch up.
     */
    public static TraceWriterFixture openBufferOnly(final int subbufSize, final int nSubbufs, final int cpus)
        throws IOException
    {
        return new TraceWriterFixture(RelayChannel.builder()
            .geometry(subbufSize, nSubbufs)
            .cpus(cpus)
            .mode(RelayMode.DISCARD)
            .flushInterval(1, TimeUnit.HOURS)
            .open());
    }

    /**
     * Gives a buffer-only channel its files, {@code trace.*} in {@code dir}, and writes every
     * buffer's content there before returning, freeing the sub-buffers (the flusher caught up).
     */
    public void setupFiles(final Path dir) throws IOException
    {
        channel.setupFiles("trace.", dir);
        channel.flush();
    }

    /** A discard-mode channel whose buffers live in memory-mapped files, as after {@code buffers=mmap}. */
    public static TraceWriterFixture openMapped(
        final Path dir, final int subbufSize, final int nSubbufs, final int cpus) throws IOException
    {
        return new TraceWriterFixture(RelayChannel.builder()
            .files("trace.", dir)
            .geometry(subbufSize, nSubbufs)
            .cpus(cpus)
            .mapped(true)
            .flushInterval(1, TimeUnit.HOURS)
            .open());
    }

    public RelayChannel channel()
    {
        return channel;
    }

    public void defineMethod(final int id, final String className, final String name, final String descriptor)
    {
        final byte[] c = className.getBytes(StandardCharsets.UTF_8);
        final byte[] n = name.getBytes(StandardCharsets.UTF_8);
        final byte[] d = descriptor.getBytes(StandardCharsets.UTF_8);
        final int length = METHOD_DEF_STRINGS_OFFSET + c.length + n.length + d.length;
        final RelayBuffer global = channel.globalBuffer();
        synchronized (global)
        {
            final int at = global.reserve(length);
            final ByteBuffer m = global.memory();
            m.putInt(at, header(METHOD_DEF, length));
            m.putInt(at + METHOD_DEF_ID_OFFSET, id);
            m.putShort(at + METHOD_DEF_CLASS_LEN_OFFSET, (short)c.length);
            m.putShort(at + METHOD_DEF_NAME_LEN_OFFSET, (short)n.length);
            m.putShort(at + METHOD_DEF_DESC_LEN_OFFSET, (short)d.length);
            m.putShort(at + METHOD_DEF_ACCESS_OFFSET, (short)1);
            m.put(at + METHOD_DEF_STRINGS_OFFSET, c);
            m.put(at + METHOD_DEF_STRINGS_OFFSET + c.length, n);
            m.put(at + METHOD_DEF_STRINGS_OFFSET + c.length + n.length, d);
            global.commit();
        }
    }

    /**
     * Writes a THREAD_DEF into the global buffer.
     *
     * @return false if the global buffer refused it (full: nothing drains it); the buffer counts it dropped.
     */
    public boolean defineThread(final long id, final String name, final boolean virtual)
    {
        final byte[] n = name.getBytes(StandardCharsets.UTF_8);
        final int length = THREAD_DEF_NAME_OFFSET + n.length;
        final RelayBuffer global = channel.globalBuffer();
        synchronized (global)
        {
            final int at = global.reserve(length);
            if (at == RelayBuffer.REFUSED)
            {
                return false;
            }
            final ByteBuffer m = global.memory();
            m.putInt(at, header(THREAD_DEF, length));
            m.putInt(at + THREAD_DEF_FLAGS_OFFSET, virtual ? FLAG_VIRTUAL : 0);
            m.putLong(at + THREAD_DEF_ID_OFFSET, id);
            m.putLong(at + THREAD_DEF_TIMESTAMP_OFFSET, System.nanoTime());
            m.putShort(at + THREAD_DEF_NAME_LEN_OFFSET, (short)n.length);
            m.put(at + THREAD_DEF_NAME_OFFSET, n);
            global.commit();
        }
        return true;
    }

    public void defineClass(final int id, final String name)
    {
        final byte[] n = name.getBytes(StandardCharsets.UTF_8);
        final int length = CLASS_DEF_NAME_OFFSET + n.length;
        final RelayBuffer global = channel.globalBuffer();
        synchronized (global)
        {
            final int at = global.reserve(length);
            final ByteBuffer m = global.memory();
            m.putInt(at, header(CLASS_DEF, length));
            m.putInt(at + CLASS_DEF_ID_OFFSET, id);
            m.put(at + CLASS_DEF_NAME_OFFSET, n);
            m.putShort(at + CLASS_DEF_NAME_LEN_OFFSET, (short)n.length);
            global.commit();
        }
    }

    /** The current thread enters {@code methodId} now. */
    public void enter(final int methodId)
    {
        now(ENTER, methodId, 0);
    }

    /** The current thread leaves {@code methodId} normally now. */
    public void exit(final int methodId)
    {
        now(EXIT, methodId, 0);
    }

    /** The current thread leaves {@code methodId} by an exception of class {@code classId} now. */
    public void raise(final int methodId, final int classId)
    {
        now(THROW, methodId, classId);
    }

    /**
     * Stamps the event only once the carrier's buffer is found: finding it may block (the first
     * write of a carrier takes the channel's lock) and a virtual thread may then resume on another
     * carrier after others wrote later stamps into this one.
     */
    private void now(final int type, final int methodId, final int classId)
    {
        final RelayBuffer buffer = channel.buffer();
        write(buffer, type, methodId, classId, System.nanoTime());
    }

    /**
     * Writes one ENTER, EXIT or THROW record with the given timestamp into the current carrier's
     * buffer, after a THREAD record if another thread wrote there last.
     *
     * @return true if the record was written, false if the buffer refused it (dropped, counted).
     */
    public boolean call(final int type, final int methodId, final int classId, final long timestamp)
    {
        return write(channel.buffer(), type, methodId, classId, timestamp);
    }

    private boolean write(final RelayBuffer buffer, final int type, final int methodId, final int classId, final long timestamp)
    {
        final Thread thread = Thread.currentThread();
        final long threadId = thread.threadId();
        if (buffer.context() != threadId)
        {
            final int at = buffer.reserve(THREAD_LENGTH);
            if (at != RelayBuffer.REFUSED)
            {
                final ByteBuffer m = buffer.memory();
                m.putInt(at, header(THREAD, THREAD_LENGTH));
                m.putInt(at + THREAD_FLAGS_OFFSET, thread.isVirtual() ? FLAG_VIRTUAL : 0);
                m.putLong(at + TIMESTAMP_OFFSET, timestamp);
                m.putLong(at + THREAD_ID_OFFSET, threadId);
                buffer.commit();
                buffer.context(threadId);
            }
        }
        final int length = type == THROW ? THROW_LENGTH : ENTER_LENGTH;
        final int at = buffer.reserve(length);
        if (at == RelayBuffer.REFUSED)
        {
            return false;
        }
        final ByteBuffer m = buffer.memory();
        m.putInt(at, header(type, length));
        m.putInt(at + METHOD_ID_OFFSET, methodId);
        m.putLong(at + TIMESTAMP_OFFSET, timestamp);
        if (type == THROW)
        {
            m.putInt(at + EXCEPTION_CLASS_ID_OFFSET, classId);
            m.putInt(at + EXCEPTION_CLASS_ID_OFFSET + 4, 0);
        }
        buffer.commit();
        return true;
    }

    /** @return the thread id of the current thread's carrier (the current thread itself for a platform thread). */
    public long currentCarrierId()
    {
        return channel.buffer().carrierId();
    }

    /** Writes a record of a type the viewer does not know, of {@code length} bytes. */
    public void unknownRecord(final int type, final int length)
    {
        final RelayBuffer buffer = channel.buffer();
        final int at = buffer.reserve(length);
        final ByteBuffer m = buffer.memory();
        m.putInt(at, EventDescriptor.header(type, length));
        for (int i = 4; i < length; i++)
        {
            m.put(at + i, (byte)0x5A);
        }
        buffer.commit();
    }

    @Override
    public void close()
    {
        channel.close();
    }
}
