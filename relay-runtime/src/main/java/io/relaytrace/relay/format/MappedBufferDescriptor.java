package io.relaytrace.relay.format;

import java.nio.ByteBuffer;

/**
 * Layout of a mapped buffer file ({@code <base>buffer<id>.mmap}): this header, then
 * {@code nSubbufs} sub-buffers of {@code subbufSize} bytes, each starting with a
 * {@link SubbufDescriptor} header. The file exists while its buffer is in use; one left behind
 * by a JVM that died holds every event committed until then.
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                        Magic 'RTMB'                           |  0
 *  +-------------------------------+-------------------------------+
 *  |           Version             |           Reserved            |  4
 *  +-------------------------------+-------------------------------+
 *  |                          Buffer Id                            |  8
 *  +---------------------------------------------------------------+
 *  |                          CPU Slot                             | 12
 *  +---------------------------------------------------------------+
 *  |                       Carrier Id (64)                         | 16
 *  +---------------------------------------------------------------+
 *  |                        Sub-buffer Size                        | 24
 *  +---------------------------------------------------------------+
 *  |                      Number of Sub-buffers                    | 28
 *  +---------------------------------------------------------------+
 *  |                  Reserved, zero, up to 64 bytes             ...
 * </pre>
 */
public final class MappedBufferDescriptor
{
    /** 'RTMB' read as a little-endian int. */
    public static final int MAGIC = 0x424D5452;
    public static final short VERSION = 1;

    public static final int MAGIC_OFFSET = 0;
    public static final int VERSION_OFFSET = 4;
    public static final int BUFFER_ID_OFFSET = 8;
    public static final int CPU_SLOT_OFFSET = 12;
    public static final int CARRIER_ID_OFFSET = 16;
    public static final int SUBBUF_SIZE_OFFSET = 24;
    public static final int N_SUBBUFS_OFFSET = 28;
    public static final int HEADER_LENGTH = 64;

    /** Suffix of a mapped buffer file. */
    public static final String SUFFIX = ".mmap";

    private MappedBufferDescriptor()
    {
    }

    /**
     * @param base     the channel's base file name.
     * @param bufferId the buffer.
     * @return the mapped file's name.
     */
    public static String fileName(final String base, final int bufferId)
    {
        return base + "buffer" + bufferId + SUFFIX;
    }

    /**
     * Checks the header of a whole mapped buffer file: magic, version, and a geometry that matches
     * the file's length. Readers call this before trusting any slot.
     *
     * @param file the whole file, little-endian, position and limit as read.
     * @throws FormatException naming what is wrong.
     */
    public static void check(final ByteBuffer file) throws FormatException
    {
        if (file.limit() < HEADER_LENGTH || file.getInt(MAGIC_OFFSET) != MAGIC)
        {
            throw new FormatException(0, "not a relaytrace mapped buffer (magic 'RTMB' expected)");
        }
        final short version = file.getShort(VERSION_OFFSET);
        if (version != VERSION)
        {
            throw new FormatException(VERSION_OFFSET, "mapped buffer version=" + version +
                " is not supported (this reader knows version " + VERSION + ")");
        }
        final int subbufSize = file.getInt(SUBBUF_SIZE_OFFSET);
        final int nSubbufs = file.getInt(N_SUBBUFS_OFFSET);
        if (subbufSize <= SubbufDescriptor.HEADER_LENGTH || nSubbufs < 1 ||
            file.limit() != HEADER_LENGTH + (long)subbufSize * nSubbufs)
        {
            throw new FormatException(SUBBUF_SIZE_OFFSET, "mapped buffer geometry subbufSize=" + subbufSize +
                " nSubbufs=" + nSubbufs + " does not match its length=" + file.limit());
        }
    }

    /**
     * Writes the header at the start of {@code file} (little-endian).
     */
    public static void write(
        final ByteBuffer file, final int bufferId, final int cpuSlot, final long carrierId,
        final int subbufSize, final int nSubbufs)
    {
        file.putShort(VERSION_OFFSET, VERSION);
        file.putInt(BUFFER_ID_OFFSET, bufferId);
        file.putInt(CPU_SLOT_OFFSET, cpuSlot);
        file.putLong(CARRIER_ID_OFFSET, carrierId);
        file.putInt(SUBBUF_SIZE_OFFSET, subbufSize);
        file.putInt(N_SUBBUFS_OFFSET, nSubbufs);
        // Magic last: a file without it was never initialised and is ignored by recovery.
        file.putInt(MAGIC_OFFSET, MAGIC);
    }
}
