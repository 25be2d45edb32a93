package io.relaytrace.relay.format;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Layout of the clean-close marker, {@code <base>closed}, written last when a channel closes.
 * A trace without it was left by a JVM that died (or is still being written): readers report it
 * as incomplete. It holds the channel's final totals.
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                        Magic 'RTCL'                           |  0
 *  +-------------------------------+-------------------------------+
 *  |           Version             |           Reserved            |  4
 *  +-------------------------------+-------------------------------+
 *  |                 Close Timestamp, nanoTime (64)                |  8
 *  +---------------------------------------------------------------+
 *  |                       Events Committed (64)                   | 16
 *  +---------------------------------------------------------------+
 *  |                       Events Dropped (64)                     | 24
 *  +---------------------------------------------------------------+
 *  |                       Events Too Big (64)                     | 32
 *  +---------------------------------------------------------------+
 *  |                     Sub-buffers Lost (64)                     | 40
 *  +---------------------------------------------------------------+
 *  |                      Events Unattributed (64)                 | 48
 *  +---------------------------------------------------------------+
 *  |                     Blocks Not Written (64)                   | 56
 *  +---------------------------------------------------------------+
 *  |                           Buffers                             | 64
 *  +---------------------------------------------------------------+
 *  |                           CRC32C                              | 68
 *  +---------------------------------------------------------------+
 * </pre>
 * <b>Events Unattributed</b>: events refused because the writing thread's carrier could not be
 * found. <b>Blocks Not Written</b>: blocks the flusher could not write (disk full, directory
 * gone); their events show as gaps in the files.
 */
public final class ClosedMarkerDescriptor
{
    /** 'RTCL' read as a little-endian int. */
    public static final int MAGIC = 0x4C435452;
    public static final short VERSION = 1;

    public static final int MAGIC_OFFSET = 0;
    public static final int VERSION_OFFSET = 4;
    public static final int CLOSE_TIMESTAMP_OFFSET = 8;
    public static final int EVENTS_OFFSET = 16;
    public static final int DROPPED_OFFSET = 24;
    public static final int TOO_BIG_OFFSET = 32;
    public static final int LOST_SUBBUFS_OFFSET = 40;
    public static final int UNATTRIBUTED_OFFSET = 48;
    public static final int NOT_WRITTEN_OFFSET = 56;
    public static final int BUFFERS_OFFSET = 64;
    public static final int CRC_OFFSET = 68;
    public static final int LENGTH = 72;

    /** File name suffix after the base name. */
    public static final String FILE_SUFFIX = "closed";

    private ClosedMarkerDescriptor()
    {
    }

    public static ByteBuffer encode(final ClosedMarker marker)
    {
        final ByteBuffer buffer = ByteBuffer.allocate(LENGTH).order(ByteOrder.LITTLE_ENDIAN);
        buffer.putInt(MAGIC_OFFSET, MAGIC);
        buffer.putShort(VERSION_OFFSET, VERSION);
        buffer.putLong(CLOSE_TIMESTAMP_OFFSET, marker.closeNanoTime());
        buffer.putLong(EVENTS_OFFSET, marker.events());
        buffer.putLong(DROPPED_OFFSET, marker.dropped());
        buffer.putLong(TOO_BIG_OFFSET, marker.tooBig());
        buffer.putLong(LOST_SUBBUFS_OFFSET, marker.lostSubbufs());
        buffer.putLong(UNATTRIBUTED_OFFSET, marker.unattributed());
        buffer.putLong(NOT_WRITTEN_OFFSET, marker.blocksNotWritten());
        buffer.putInt(BUFFERS_OFFSET, marker.buffers());
        buffer.putInt(CRC_OFFSET, Checksums.crc32c(buffer, 0, LENGTH, CRC_OFFSET));
        return buffer;
    }

    /**
     * @param file the marker file's bytes.
     * @return the marker.
     * @throws FormatException if it is not a marker, of an unknown version, short, or damaged.
     */
    public static ClosedMarker decode(final ByteBuffer file) throws FormatException
    {
        final ByteBuffer buffer = file.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        if (buffer.limit() < 4 || buffer.getInt(MAGIC_OFFSET) != MAGIC)
        {
            throw new FormatException(0, "not a relaytrace close marker (magic 'RTCL' expected)");
        }
        if (buffer.limit() < LENGTH)
        {
            throw new FormatException(buffer.limit(), "close marker truncated: length=" + buffer.limit() + " < " + LENGTH);
        }
        final short version = buffer.getShort(VERSION_OFFSET);
        if (version != VERSION)
        {
            throw new FormatException(VERSION_OFFSET,
                "close marker version=" + version + " is not supported (this reader knows version " + VERSION + ")");
        }
        if (buffer.getInt(CRC_OFFSET) != Checksums.crc32c(buffer, 0, LENGTH, CRC_OFFSET))
        {
            throw new FormatException(CRC_OFFSET, "close marker checksum mismatch");
        }
        return new ClosedMarker(
            buffer.getLong(CLOSE_TIMESTAMP_OFFSET),
            buffer.getLong(EVENTS_OFFSET),
            buffer.getLong(DROPPED_OFFSET),
            buffer.getLong(TOO_BIG_OFFSET),
            buffer.getLong(LOST_SUBBUFS_OFFSET),
            buffer.getLong(UNATTRIBUTED_OFFSET),
            buffer.getLong(NOT_WRITTEN_OFFSET),
            buffer.getInt(BUFFERS_OFFSET));
    }
}
