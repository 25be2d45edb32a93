package io.relaytrace.agent.bootstrap;

import io.relaytrace.event.EventDescriptor;
import io.relaytrace.relay.RelayChannel;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import static io.relaytrace.event.EventDescriptor.*;

/**
 * Encodes the definition records (METHOD_DEF, THREAD_DEF, CLASS_DEF, see {@link EventDescriptor})
 * and stages them for a channel's global buffer, which only the channel's flusher writes: the
 * thread that defines never waits, for the flusher or for other threads defining at the same time.
 * <p>
 * These are rare (once per method, thread, exception class), so they may allocate. A method or class
 * definition is staged to be kept ({@link #write}: a lost one makes every event that uses it
 * unreadable); a thread's may be dropped, counted ({@link #tryWrite}).
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
     * Stages a record that must be kept (a method's or class's definition: events that use it are
     * unreadable without it). Never waits: the channel's flusher moves it into the global buffer
     * at its next poll and never drops it.
     *
     * @param channel the channel whose global buffer takes the record.
     * @param record  a whole record, as encoded by this class.
     * @return true if staged; false if too big for the global buffer or the channel is closed.
     */
    static boolean write(final RelayChannel channel, final byte[] record)
    {
        return channel.writeGlobal(record, 0, record.length);
    }

    /**
     * Stages a record that may be dropped: a thread's definition, written on the thread's own first
     * event. Never waits; refused (and counted in the trace, as the global buffer's dropped
     * definitions) when a storm of new threads has more staged than the channel's bound. A refused
     * one costs the thread's name only: its events carry its id and virtual flag in THREAD records.
     *
     * @param channel the channel whose global buffer takes the record.
     * @param record  a whole record, as encoded by this class.
     * @return true if staged.
     */
    static boolean tryWrite(final RelayChannel channel, final byte[] record)
    {
        return channel.offerGlobal(record, 0, record.length);
    }

    private static byte[] utf8(final String text)
    {
        final byte[] bytes = (text == null ? "" : text).getBytes(StandardCharsets.UTF_8);
        return bytes.length <= MAX_NAME_BYTES ? bytes : java.util.Arrays.copyOf(bytes, MAX_NAME_BYTES);
    }
}
