package io.relaytrace.agent.bootstrap;

import io.relaytrace.event.EventDescriptor;
import io.relaytrace.relay.RelayBuffer;
import io.relaytrace.relay.RelayChannel;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import static io.relaytrace.event.EventDescriptor.*;

/**
 * Encodes the definition records (METHOD_DEF, THREAD_DEF, CLASS_DEF, see {@link EventDescriptor})
 * and writes them into a channel's global buffer, serialised on the buffer's monitor as the
 * channel requires.
 * <p>
 * These are rare (once per method, thread, exception class), so they may allocate. A method or class
 * definition that the global buffer refuses (full, in discard mode) is retried once after a flush,
 * because a lost one makes every event that uses it unreadable; a thread's is not ({@link #tryWrite}).
 */
final class GlobalRecords
{
    /** Names longer than this (in UTF-8 bytes) are cut: the length fields are 16 bits. */
    static final int MAX_NAME_BYTES = 0xFFFF;

    private GlobalRecords()
    {
    }

    static byte[] methodDef(
        final int methodId, final String className, final String methodName, final String descriptor, final int access)
    {
        final byte[] cls = utf8(className);
        final byte[] name = utf8(methodName);
        final byte[] desc = utf8(descriptor);
        final int length = METHOD_DEF_STRINGS_OFFSET + cls.length + name.length + desc.length;
        final byte[] record = new byte[length];
        final ByteBuffer b = ByteBuffer.wrap(record).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.putInt(0, header(METHOD_DEF, length));
        b.putInt(METHOD_DEF_ID_OFFSET, methodId);
        b.putShort(METHOD_DEF_CLASS_LEN_OFFSET, (short)cls.length);
        b.putShort(METHOD_DEF_NAME_LEN_OFFSET, (short)name.length);
        b.putShort(METHOD_DEF_DESC_LEN_OFFSET, (short)desc.length);
        b.putShort(METHOD_DEF_ACCESS_OFFSET, (short)access);
        b.put(METHOD_DEF_STRINGS_OFFSET, cls);
        b.put(METHOD_DEF_STRINGS_OFFSET + cls.length, name);
        b.put(METHOD_DEF_STRINGS_OFFSET + cls.length + name.length, desc);
        return record;
    }

    static byte[] threadDef(final long threadId, final boolean virtual, final long timestamp, final String threadName)
    {
        final byte[] name = utf8(threadName);
        final int length = THREAD_DEF_NAME_OFFSET + name.length;
        final byte[] record = new byte[length];
        final ByteBuffer b = ByteBuffer.wrap(record).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.putInt(0, header(THREAD_DEF, length));
        b.putInt(THREAD_DEF_FLAGS_OFFSET, virtual ? FLAG_VIRTUAL : 0);
        b.putLong(THREAD_DEF_ID_OFFSET, threadId);
        b.putLong(THREAD_DEF_TIMESTAMP_OFFSET, timestamp);
        b.putShort(THREAD_DEF_NAME_LEN_OFFSET, (short)name.length);
        b.put(THREAD_DEF_NAME_OFFSET, name);
        return record;
    }

    static byte[] classDef(final int classId, final String className)
    {
        final byte[] name = utf8(className);
        final int length = CLASS_DEF_NAME_OFFSET + name.length;
        final byte[] record = new byte[length];
        final ByteBuffer b = ByteBuffer.wrap(record).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.putInt(0, header(CLASS_DEF, length));
        b.putInt(CLASS_DEF_ID_OFFSET, classId);
        b.putShort(CLASS_DEF_NAME_LEN_OFFSET, (short)name.length);
        b.put(CLASS_DEF_NAME_OFFSET, name);
        return record;
    }

    /**
     * @param channel the channel whose global buffer takes the record.
     * @param record  a whole record, as encoded by this class.
     * @return true if written.
     */
    static boolean write(final RelayChannel channel, final byte[] record)
    {
        if (tryWrite(channel, record))
        {
            return true;
        }
        // Not under the global monitor: flush takes the drain lock, which the flusher holds
        // while it waits for the global monitor.
        channel.flush();
        return tryWrite(channel, record);
    }

    /**
     * Writes a record only if the global buffer has room now, never flushing: for a thread's
     * definition, written on the thread's own first event, where waiting for the flusher's disk
     * writes would stall the application (a storm of new virtual threads queued thousands of them
     * behind each other's flushes). A refused one costs the thread's name only: its events carry
     * its id and virtual flag in THREAD records.
     *
     * @param channel the channel whose global buffer takes the record.
     * @param record  a whole record, as encoded by this class.
     * @return true if written.
     */
    static boolean tryWrite(final RelayChannel channel, final byte[] record)
    {
        return reserveAndCopy(channel.globalBuffer(), record);
    }

    private static boolean reserveAndCopy(final RelayBuffer global, final byte[] record)
    {
        synchronized (global)
        {
            // A definition can be written at the very edge of the stack: the CLASS_DEF of a
            // StackOverflowError, by the first THROW of one deep in the recursion that overflowed.
            // Writers take turns under the monitor, so a reservation found open was abandoned by a
            // writer thrown out mid-copy: discard it rather than leave the global buffer unpublished.
            final int at = global.reserveNonNested(record.length);
            if (at == RelayBuffer.REFUSED)
            {
                return false;
            }
            global.memory().put(at, record, 0, record.length);
            global.commit();
            return true;
        }
    }

    private static byte[] utf8(final String text)
    {
        final byte[] bytes = (text == null ? "" : text).getBytes(StandardCharsets.UTF_8);
        return bytes.length <= MAX_NAME_BYTES ? bytes : java.util.Arrays.copyOf(bytes, MAX_NAME_BYTES);
    }
}
