package io.relaytrace.viewer.read;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;

import static io.relaytrace.event.EventDescriptor.*;

/**
 * The definitions a trace's global buffer holds: methods (METHOD_DEF), threads (THREAD_DEF) and
 * exception classes (CLASS_DEF), by id. Memory grows with the number of methods, threads and
 * classes, never with the number of events. Threads also learn whether they are virtual from the
 * THREAD records of the carriers' buffers, which may come before or without a THREAD_DEF.
 */
public final class Definitions
{
    private final Map<Integer, String> methods = new HashMap<>();
    private final Map<Integer, String> classes = new HashMap<>();
    // By primitive key: the replay marks a thread virtual at every THREAD record, and boxing a
    // long per record would allocate.
    private final LongObjectMap<ThreadInfo> threads = new LongObjectMap<>();

    /** A thread's name and kind, as far as the trace says. */
    public static final class ThreadInfo
    {
        private final long id;
        private String name;
        private boolean virtual;

        ThreadInfo(final long id)
        {
            this.id = id;
        }

        public long id()
        {
            return id;
        }

        /** @return its name, or null if no THREAD_DEF named it. */
        public String name()
        {
            return name;
        }

        public boolean isVirtual()
        {
            return virtual;
        }
    }

    /**
     * Decodes one definition record; other records are ignored.
     *
     * @param buffer little-endian bytes.
     * @param at     index of a record whose length {@link RecordWalk#check} accepted.
     * @return null if decoded or ignored, else what is wrong with it.
     */
    String decode(final ByteBuffer buffer, final int at)
    {
        final int header = buffer.getInt(at);
        final int length = length(header);
        switch (type(header))
        {
            case METHOD_DEF:
            {
                final int classLength = buffer.getShort(at + METHOD_DEF_CLASS_LEN_OFFSET) & 0xFFFF;
                final int nameLength = buffer.getShort(at + METHOD_DEF_NAME_LEN_OFFSET) & 0xFFFF;
                final int descriptorLength = buffer.getShort(at + METHOD_DEF_DESC_LEN_OFFSET) & 0xFFFF;
                if (METHOD_DEF_STRINGS_OFFSET + classLength + nameLength + descriptorLength > length)
                {
                    return "METHOD_DEF strings (" + classLength + "+" + nameLength + "+" + descriptorLength +
                        " bytes) run past its length=" + length;
                }
                final int from = at + METHOD_DEF_STRINGS_OFFSET;
                methods.put(buffer.getInt(at + METHOD_DEF_ID_OFFSET), MethodNames.format(
                    utf8(buffer, from, classLength),
                    utf8(buffer, from + classLength, nameLength),
                    utf8(buffer, from + classLength + nameLength, descriptorLength)));
                return null;
            }
            case THREAD_DEF:
            {
                final int nameLength = buffer.getShort(at + THREAD_DEF_NAME_LEN_OFFSET) & 0xFFFF;
                if (THREAD_DEF_NAME_OFFSET + nameLength > length)
                {
                    return "THREAD_DEF name (" + nameLength + " bytes) runs past its length=" + length;
                }
                final ThreadInfo thread = thread(buffer.getLong(at + THREAD_DEF_ID_OFFSET));
                thread.name = utf8(buffer, at + THREAD_DEF_NAME_OFFSET, nameLength);
                thread.virtual = (buffer.getInt(at + THREAD_DEF_FLAGS_OFFSET) & FLAG_VIRTUAL) != 0;
                return null;
            }
            case CLASS_DEF:
            {
                final int nameLength = buffer.getShort(at + CLASS_DEF_NAME_LEN_OFFSET) & 0xFFFF;
                if (CLASS_DEF_NAME_OFFSET + nameLength > length)
                {
                    return "CLASS_DEF name (" + nameLength + " bytes) runs past its length=" + length;
                }
                classes.put(buffer.getInt(at + CLASS_DEF_ID_OFFSET),
                    utf8(buffer, at + CLASS_DEF_NAME_OFFSET, nameLength).replace('/', '.'));
                return null;
            }
            default:
                return null;
        }
    }

    private static String utf8(final ByteBuffer buffer, final int from, final int length)
    {
        final byte[] bytes = new byte[length];
        buffer.get(from, bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** @return the thread's entry, created (nameless, platform) if none yet. */
    ThreadInfo thread(final long id)
    {
        ThreadInfo thread = threads.get(id);
        if (thread == null)
        {
            thread = new ThreadInfo(id);
            threads.put(id, thread);
        }
        return thread;
    }

    /** A THREAD record said whether this thread is virtual. */
    void markVirtual(final long threadId, final boolean virtual)
    {
        if (virtual)
        {
            thread(threadId).virtual = true;
        }
    }

    /**
     * @param methodId a method id from an event.
     * @return the formatted method, e.g. {@code com.acme.Cart.add(java.lang.String,int)}, or
     *     {@code <unknown method #id>} if the trace does not define it.
     */
    public String methodName(final int methodId)
    {
        final String name = methods.get(methodId);
        return name != null ? name : "<unknown method #" + methodId + ">";
    }

    /** @return true if the trace defined {@code methodId} (in what was read so far). */
    public boolean hasMethod(final int methodId)
    {
        return methods.containsKey(methodId);
    }

    /** @return the exception class's binary name, or {@code <unknown class #id>}. */
    public String className(final int classId)
    {
        final String name = classes.get(classId);
        return name != null ? name : "<unknown class #" + classId + ">";
    }

    /** @return the thread, or null if nothing in the trace mentions it. */
    public ThreadInfo threadInfo(final long threadId)
    {
        return threads.get(threadId);
    }

    /** @return true if a THREAD record or THREAD_DEF marked the thread virtual. */
    public boolean isVirtual(final long threadId)
    {
        final ThreadInfo thread = threads.get(threadId);
        return thread != null && thread.virtual;
    }

    /** @return the thread's name, or {@code thread-<id>} if it has none (unnamed virtual threads have an empty one). */
    public String threadName(final long threadId)
    {
        final ThreadInfo thread = threads.get(threadId);
        return thread != null && thread.name != null && !thread.name.isEmpty() ? thread.name : "thread-" + threadId;
    }

    /** @return e.g. {@code virtual-3#41 (virtual)}: name, id, and whether it is virtual. */
    public String threadLabel(final long threadId)
    {
        return threadName(threadId) + "#" + threadId + (isVirtual(threadId) ? " (virtual)" : "");
    }

    /** @return the methods defined, id to formatted name. */
    public Map<Integer, String> methods()
    {
        return Collections.unmodifiableMap(methods);
    }
}
