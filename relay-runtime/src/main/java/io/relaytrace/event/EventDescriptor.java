package io.relaytrace.event;

/**
 * Layout of the events the agent writes into relay sub-buffers. Every record starts with one
 * little-endian int: the type in the low 8 bits, the record's whole length in bytes in the high
 * 24 bits, so a reader can skip a type it does not know. Records follow each other with no gap.
 * <p>
 * In a carrier's buffer (one thread at a time writes; {@link #THREAD} says which):
 * <pre>
 *   ENTER, EXIT (16 bytes)                     THROW (24 bytes)
 *  +--------+------------------------+        +--------+------------------------+
 *  |  type  |     length (24)        |  0     |  type  |     length (24)        |  0
 *  +--------+------------------------+        +--------+------------------------+
 *  |           Method Id             |  4     |           Method Id             |  4
 *  +---------------------------------+        +---------------------------------+
 *  |        Timestamp (64)           |  8     |        Timestamp (64)           |  8
 *  +---------------------------------+        +---------------------------------+
 *                                             |      Exception Class Id         | 16
 *                                             +---------------------------------+
 *                                             |          Reserved               | 20
 *                                             +---------------------------------+
 *
 *   THREAD (24 bytes): from here on, this buffer's events belong to this thread
 *  +--------+------------------------+
 *  |  type  |     length (24)        |  0
 *  +--------+------------------------+
 *  |  Flags (bit 0: virtual thread)  |  4
 *  +---------------------------------+
 *  |        Timestamp (64)           |  8
 *  +---------------------------------+
 *  |        Thread Id (64)           | 16
 *  +---------------------------------+
 * </pre>
 * In the global buffer (definitions, written once, before any event that uses them):
 * <pre>
 *   METHOD_DEF                                 THREAD_DEF
 *  +--------+------------------------+        +--------+------------------------+
 *  |  type  |     length (24)        |  0     |  type  |     length (24)        |  0
 *  +--------+------------------------+        +--------+------------------------+
 *  |           Method Id             |  4     |  Flags (bit 0: virtual thread)  |  4
 *  +----------------+----------------+        +---------------------------------+
 *  | Class Name Len | Method Name Len|  8     |        Thread Id (64)           |  8
 *  +----------------+----------------+        +---------------------------------+
 *  | Descriptor Len |  Access Flags  | 12     |        Timestamp (64)           | 16
 *  +----------------+----------------+        +----------------+----------------+
 *  |  UTF-8: class name (binary,   ...| 16     |    Name Len    |    Reserved    | 24
 *  |  dots), method name, descriptor |        +----------------+----------------+
 *  +---------------------------------+        |      UTF-8: thread name       ...| 28
 *                                             +---------------------------------+
 *   CLASS_DEF (exception classes)
 *  +--------+------------------------+
 *  |  type  |     length (24)        |  0
 *  +--------+------------------------+
 *  |           Class Id              |  4
 *  +----------------+----------------+
 *  |    Name Len    |    Reserved    |  8
 *  +----------------+----------------+
 *  |  UTF-8: class name (binary)   ...| 12
 *  +---------------------------------+
 * </pre>
 * Timestamps are nanoseconds on the traced JVM's {@code System.nanoTime()} time line, read from
 * {@link io.relaytrace.relay.clock.TraceClock}; the trace header's clock base
 * turns them into wall-clock time. Method and class ids are positive and unique in a trace.
 */
public final class EventDescriptor
{
    public static final int ENTER = 1;
    public static final int EXIT = 2;
    public static final int THROW = 3;
    public static final int THREAD = 4;
    public static final int METHOD_DEF = 16;
    public static final int THREAD_DEF = 17;
    public static final int CLASS_DEF = 18;

    public static final int TYPE_MASK = 0xFF;
    public static final int LENGTH_SHIFT = 8;
    public static final int MAX_LENGTH = (1 << 24) - 1;

    public static final int ENTER_LENGTH = 16;
    public static final int EXIT_LENGTH = 16;
    public static final int THROW_LENGTH = 24;
    public static final int THREAD_LENGTH = 24;

    public static final int METHOD_ID_OFFSET = 4;
    public static final int TIMESTAMP_OFFSET = 8;
    public static final int EXCEPTION_CLASS_ID_OFFSET = 16;

    public static final int THREAD_FLAGS_OFFSET = 4;
    public static final int THREAD_ID_OFFSET = 16;
    public static final int FLAG_VIRTUAL = 1;

    public static final int METHOD_DEF_ID_OFFSET = 4;
    public static final int METHOD_DEF_CLASS_LEN_OFFSET = 8;
    public static final int METHOD_DEF_NAME_LEN_OFFSET = 10;
    public static final int METHOD_DEF_DESC_LEN_OFFSET = 12;
    public static final int METHOD_DEF_ACCESS_OFFSET = 14;
    public static final int METHOD_DEF_STRINGS_OFFSET = 16;

    public static final int THREAD_DEF_FLAGS_OFFSET = 4;
    public static final int THREAD_DEF_ID_OFFSET = 8;
    public static final int THREAD_DEF_TIMESTAMP_OFFSET = 16;
    public static final int THREAD_DEF_NAME_LEN_OFFSET = 24;
    public static final int THREAD_DEF_NAME_OFFSET = 28;

    public static final int CLASS_DEF_ID_OFFSET = 4;
    public static final int CLASS_DEF_NAME_LEN_OFFSET = 8;
    public static final int CLASS_DEF_NAME_OFFSET = 12;

    private EventDescriptor()
    {
    }

    /** @return the first int of a record of this type and length. */
    public static int header(final int type, final int length)
    {
        return (length << LENGTH_SHIFT) | type;
    }

    public static int type(final int header)
    {
        return header & TYPE_MASK;
    }

    public static int length(final int header)
    {
        return header >>> LENGTH_SHIFT;
    }
}
