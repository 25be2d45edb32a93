package io.relaytrace.relay.format;

/**
 * Layout of a sub-buffer header, in memory and on disk. Every sub-buffer of a relay buffer starts
 * with this header; the writer fills it when it enters the sub-buffer and keeps {@code Content
 * Length} current on every commit, so that a mapped buffer can be salvaged after the JVM dies.
 * The flusher writes each finished sub-buffer (or a committed part of the current one) to a file
 * as a <em>block</em>: this header, then {@code Content Length} bytes of content, padding stripped.
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                        Magic 'RTSB'                           |  0
 *  +-------------------------------+-------------------------------+
 *  |           Version             |            Flags              |  4
 *  +-------------------------------+-------------------------------+
 *  |                          Buffer Id                            |  8
 *  +---------------------------------------------------------------+
 *  |                          CPU Slot                             | 12
 *  +---------------------------------------------------------------+
 *  |                       Carrier Id (64)                         | 16
 *  +---------------------------------------------------------------+
 *  |                   Sub-buffer Sequence (64)                    | 24
 *  +---------------------------------------------------------------+
 *  |                     First Timestamp (64)                      | 32
 *  +---------------------------------------------------------------+
 *  |                      Last Timestamp (64)                      | 40
 *  +---------------------------------------------------------------+
 *  |                      Writer Context (64)                      | 48
 *  +---------------------------------------------------------------+
 *  |                      Events Before (64)                       | 56
 *  +---------------------------------------------------------------+
 *  |                     Dropped Before (64)                       | 64
 *  +---------------------------------------------------------------+
 *  |                     Too Big Before (64)                       | 72
 *  +---------------------------------------------------------------+
 *  |                 Lost Sub-buffers Before (64)                  | 80
 *  +---------------------------------------------------------------+
 *  |                        Content Offset                         | 88
 *  +---------------------------------------------------------------+
 *  |                        Content Length                         | 92
 *  +---------------------------------------------------------------+
 *  |                           Padding                             | 96
 *  +---------------------------------------------------------------+
 *  |                           CRC32C                              | 100
 *  +---------------------------------------------------------------+
 *  |                     Content (Content Length bytes)          ...
 * </pre>
 * All fields are little-endian. Field meanings:
 * <ul>
 *   <li><b>Buffer Id</b>: the relay buffer, unique in a trace; <b>CPU Slot</b> the output file it
 *       is bound to; <b>Carrier Id</b> the carrier thread's {@code threadId()}.</li>
 *   <li><b>Sub-buffer Sequence</b>: {@code subbufsProduced} when the writer entered it; a reader
 *       sees gaps where sub-buffers were lapped.</li>
 *   <li><b>First/Last Timestamp</b>: the trace clock ({@code TraceClock}, nanoseconds on
 *       {@code System.nanoTime()}'s time line) when the writer entered the
 *       sub-buffer and when it finished it (for a partial block: when the flusher copied it).
 *       Every event of the block lies between them.</li>
 *   <li><b>Writer Context</b>: a value the client keeps on the buffer (the agent: the id of the
 *       thread writing), as it was when the writer entered the sub-buffer, so that each
 *       sub-buffer can be decoded on its own.</li>
 *   <li><b>Events Before</b>: events committed to this buffer before this sub-buffer; a reader
 *       that counts the events of each block finds exactly how many were lost between two.</li>
 *   <li><b>Dropped/Too Big Before</b>: running totals of events refused because the buffer was
 *       full (no-overwrite mode) and because they were larger than a sub-buffer.</li>
 *   <li><b>Lost Sub-buffers Before</b>: running total of sub-buffers the reader found lapped by
 *       the writer (overwrite mode). Filled in by the flusher; zero in memory.</li>
 *   <li><b>Content Offset</b>: where this block's content starts within the sub-buffer's
 *       content: 0, or more for the continuation of a sub-buffer flushed in parts.</li>
 *   <li><b>Content Length</b>: bytes of content in this block. In memory, the committed length of
 *       the sub-buffer, published with release semantics on every commit.</li>
 *   <li><b>Padding</b>: the unused tail of a finished sub-buffer ({@link #FLAG_FINISHED}).</li>
 *   <li><b>CRC32C</b>: over the header with this field as zero, then the content.</li>
 * </ul>
 */
public final class SubbufDescriptor
{
    /** 'RTSB' read as a little-endian int. */
    public static final int MAGIC = 0x42535452;
    public static final short VERSION = 1;

    /** The block ends its sub-buffer; {@code Padding} is valid. */
    public static final short FLAG_FINISHED = 1;
    /** The block is the last one of its buffer: the channel closed or the carrier went offline. */
    public static final short FLAG_FINAL = 2;
    /** The block was salvaged from a mapped buffer after the JVM died. */
    public static final short FLAG_RECOVERED = 4;
    /** The flags a reader of this version understands. */
    public static final short KNOWN_FLAGS = FLAG_FINISHED | FLAG_FINAL | FLAG_RECOVERED;

    public static final int MAGIC_OFFSET = 0;
    public static final int VERSION_OFFSET = 4;
    public static final int FLAGS_OFFSET = 6;
    public static final int BUFFER_ID_OFFSET = 8;
    public static final int CPU_SLOT_OFFSET = 12;
    public static final int CARRIER_ID_OFFSET = 16;
    public static final int SEQUENCE_OFFSET = 24;
    public static final int FIRST_TIMESTAMP_OFFSET = 32;
    public static final int LAST_TIMESTAMP_OFFSET = 40;
    public static final int CONTEXT_OFFSET = 48;
    public static final int EVENTS_BEFORE_OFFSET = 56;
    public static final int DROPPED_BEFORE_OFFSET = 64;
    public static final int TOO_BIG_BEFORE_OFFSET = 72;
    public static final int LOST_BEFORE_OFFSET = 80;
    public static final int CONTENT_OFFSET_OFFSET = 88;
    public static final int CONTENT_LENGTH_OFFSET = 92;
    public static final int PADDING_OFFSET = 96;
    public static final int CRC_OFFSET = 100;

    /** Length of the header; content starts here. A multiple of 8 so content stays aligned. */
    public static final int HEADER_LENGTH = 104;

    private SubbufDescriptor()
    {
    }

    /**
     * The largest event a sub-buffer of this size can hold.
     *
     * @param subbufSize size of one sub-buffer, header included.
     * @return the room for content.
     */
    public static int maxContentLength(final int subbufSize)
    {
        return subbufSize - HEADER_LENGTH;
    }

    /**
     * Where a sub-buffer slot starts in a buffer's memory.
     *
     * @param slot       index of the sub-buffer, {@code 0 <= slot < nSubbufs}.
     * @param subbufSize size of one sub-buffer.
     * @return the offset of its header.
     */
    public static int slotOffset(final int slot, final int subbufSize)
    {
        return slot * subbufSize;
    }
}
