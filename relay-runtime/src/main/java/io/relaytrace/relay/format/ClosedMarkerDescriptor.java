package io.relaytrace.relay.format;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Layout of the clean-close marker, {@code <base>closed}, written last when a channel closes.
 * A trace without it was left by a JVM that died (or is still being written): readers report it
 * as incomplete. It holds the channel's final totals. Version 2, written now:
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
 *  |                      Reserved (zero)                          | 68
 *  +---------------------------------------------------------------+
 *  |                       Events Failed (64)                      | 72
 *  +---------------------------------------------------------------+
 *  |                           CRC32C                              | 80
 *  +---------------------------------------------------------------+
 * </pre>
 * Version 1 (72 bytes) is the same up to Buffers, with its CRC32C at 68 and no Events Failed: it is
 * still decoded, with Events Failed 0. Any other version is rejected, naming the versions known.
 * The CRC32C covers every byte of the marker but its own four.
 * <p>
 * <b>Events Unattributed</b>: events refused because the writing thread's carrier could not be
 * found. <b>Blocks Not Written</b>: blocks the flusher could not write (disk full, directory
 * gone); their events show as gaps in the files. <b>Events Failed</b>: events the channel's client
 * (the agent's recorder) was asked to record but could not, because of an error in its own code (a
 * stack overflow at the edge of a thread's stack, an allocation that failed): they never reached a
 * buffer, so no other count has them.
 */
public final class ClosedMarkerDescriptor
{
    /** 'RTCL' read as a little-endian int. */
    public static final int MAGIC = 0x4C435452;
    /** The version written. */
    public static final short VERSION = 2;
    /** The first version, still decoded: no Events Failed. */
    public static final short VERSION_1 = 1;

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
    public static final int RESERVED_OFFSET = 68;
    public static final int FAILED_OFFSET = 72;
    public static final int CRC_OFFSET = 80;
    /** Length of the version written. */
    public static final int LENGTH = 84;

    public static final int V1_CRC_OFFSET = 68;
    public static final int V1_LENGTH = 72;

    /** File name suffix after the base name. */
    public static final String FILE_SUFFIX = "closed";

    private ClosedMarkerDescriptor()
    {
    }

    /**
     * @param marker the totals.
     * @return the marker's bytes, current version, positioned at 0.
     */
    public static ByteBuffer encode(final ClosedMarker marker)
    {
        final ByteBuffer buffer = ByteBuffer.allocate(LENGTH).order(ByteOrder.LITTLE_ENDIAN);
        putCommon(buffer, VERSION, marker);
        buffer.putLong(FAILED_OFFSET, marker.failed());
        buffer.putInt(CRC_OFFSET, Checksums.crc32c(buffer, 0, LENGTH, CRC_OFFSET));
        return buffer;
    }

    /**
     * The marker as version 1 wrote it, for readers' tests of old traces: without Events Failed,
     * which must be 0 (a version 1 marker cannot hold another value).
     *
     * @param marker the totals, {@code failed} 0.
     * @return the version 1 bytes, positioned at 0.
     */
    public static ByteBuffer encodeVersion1(final ClosedMarker marker)
    {
        if (marker.failed() != 0)
        {
            throw new IllegalArgumentException("failed=" + marker.failed() + " cannot be written in a version 1 close marker");
        }
        final ByteBuffer buffer = ByteBuffer.allocate(V1_LENGTH).order(ByteOrder.LITTLE_ENDIAN);
        putCommon(buffer, VERSION_1, marker);
        buffer.putInt(V1_CRC_OFFSET, Checksums.crc32c(buffer, 0, V1_LENGTH, V1_CRC_OFFSET));
        return buffer;
    }

    private static void putCommon(final ByteBuffer buffer, final short version, final ClosedMarker marker)
    {
        buffer.putInt(MAGIC_OFFSET, MAGIC);
        buffer.putShort(VERSION_OFFSET, version);
        buffer.putLong(CLOSE_TIMESTAMP_OFFSET, marker.closeNanoTime());
        buffer.putLong(EVENTS_OFFSET, marker.events());
        buffer.putLong(DROPPED_OFFSET, marker.dropped());
        buffer.putLong(TOO_BIG_OFFSET, marker.tooBig());
        buffer.putLong(LOST_SUBBUFS_OFFSET, marker.lostSubbufs());
        buffer.putLong(UNATTRIBUTED_OFFSET, marker.unattributed());
        buffer.putLong(NOT_WRITTEN_OFFSET, marker.blocksNotWritten());
        buffer.putInt(BUFFERS_OFFSET, marker.buffers());
    }

    /**
     * @param file the marker file's bytes, version 1 or 2.
     * @return the marker ({@code failed} 0 from a version 1 marker).
     * @throws FormatException if it is not a marker, of an unknown version, short, or damaged
     *     (checksum, or a count below zero).
     */
    public static ClosedMarker decode(final ByteBuffer file) throws FormatException
    {
        final ByteBuffer buffer = file.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        if (buffer.limit() < 4 || buffer.getInt(MAGIC_OFFSET) != MAGIC)
        {
            throw new FormatException(0, "not a relaytrace close marker (magic 'RTCL' expected)");
        }
        if (buffer.limit() < VERSION_OFFSET + 2)
        {
            throw new FormatException(buffer.limit(), "close marker truncated: length=" + buffer.limit() + " < " + V1_LENGTH);
        }
        final short version = buffer.getShort(VERSION_OFFSET);
        if (version != VERSION && version != VERSION_1)
        {
            throw new FormatException(VERSION_OFFSET, "close marker version=" + version +
                " is not supported (this reader knows versions " + VERSION_1 + " and " + VERSION + ")");
        }
        final int length = version == VERSION ? LENGTH : V1_LENGTH;
        final int crcOffset = version == VERSION ? CRC_OFFSET : V1_CRC_OFFSET;
        if (buffer.limit() < length)
        {
            throw new FormatException(buffer.limit(),
                "close marker version=" + version + " truncated: length=" + buffer.limit() + " < " + length);
        }
        if (buffer.getInt(crcOffset) != Checksums.crc32c(buffer, 0, length, crcOffset))
        {
            throw new FormatException(crcOffset, "close marker checksum mismatch");
        }
        final long failed = version == VERSION ? buffer.getLong(FAILED_OFFSET) : 0;
        if (failed < 0)
        {
            throw new FormatException(FAILED_OFFSET, "close marker Events Failed=" + failed + " is negative");
        }
        return new ClosedMarker(
            buffer.getLong(CLOSE_TIMESTAMP_OFFSET),
            buffer.getLong(EVENTS_OFFSET),
            buffer.getLong(DROPPED_OFFSET),
            buffer.getLong(TOO_BIG_OFFSET),
            buffer.getLong(LOST_SUBBUFS_OFFSET),
            buffer.getLong(UNATTRIBUTED_OFFSET),
            buffer.getLong(NOT_WRITTEN_OFFSET),
            buffer.getInt(BUFFERS_OFFSET),
            failed);
    }
}
