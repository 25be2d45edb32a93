package io.relaytrace.relay.format;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Layout of a trace's header file, {@code <base>header}, written once when the channel's files
 * are set up. It says how to read the rest: the geometry, the clock base that turns
 * {@code System.nanoTime()} stamps into wall-clock time, and free-form properties (JVM, pid,
 * options, start time) as UTF-8 {@code key=value} lines.
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                        Magic 'RTTH'                           |  0
 *  +-------------------------------+-------------------------------+
 *  |           Version             |           Reserved            |  4
 *  +-------------------------------+-------------------------------+
 *  |                        Sub-buffer Size                        |  8
 *  +---------------------------------------------------------------+
 *  |                     Number of Sub-buffers                     | 12
 *  +---------------------------------------------------------------+
 *  |                        Number of CPUs                         | 16
 *  +---------------------------------------------------------------+
 *  |                      Properties Length                        | 20
 *  +---------------------------------------------------------------+
 *  |                  Clock Origin, nanoTime (64)                  | 24
 *  +---------------------------------------------------------------+
 *  |         Clock Origin, nanoseconds since the epoch (64)        | 32
 *  +---------------------------------------------------------------+
 *  |                          Pid (64)                             | 40
 *  +---------------------------------------------------------------+
 *  |                           CRC32C                              | 48
 *  +---------------------------------------------------------------+
 *  |                           Reserved                            | 52
 *  +---------------------------------------------------------------+
 *  |            Properties, UTF-8 key=value lines                ...
 * </pre>
 * The CRC32C covers the header with its CRC field zero, then the properties.
 */
public final class TraceHeaderDescriptor
{
    /** 'RTTH' read as a little-endian int. */
    public static final int MAGIC = 0x48545452;
    public static final short VERSION = 1;

    public static final int MAGIC_OFFSET = 0;
    public static final int VERSION_OFFSET = 4;
    public static final int SUBBUF_SIZE_OFFSET = 8;
    public static final int N_SUBBUFS_OFFSET = 12;
    public static final int CPUS_OFFSET = 16;
    public static final int PROPERTIES_LENGTH_OFFSET = 20;
    public static final int CLOCK_NANO_OFFSET = 24;
    public static final int CLOCK_EPOCH_NANOS_OFFSET = 32;
    public static final int PID_OFFSET = 40;
    public static final int CRC_OFFSET = 48;
    public static final int HEADER_LENGTH = 56;

    /** File name suffix after the base name. */
    public static final String FILE_SUFFIX = "header";

    private TraceHeaderDescriptor()
    {
    }

    /**
     * Encodes a header file.
     *
     * @return the whole file's bytes.
     */
    public static ByteBuffer encode(final TraceHeader header)
    {
        final byte[] properties = encodeProperties(header.properties());
        final ByteBuffer buffer = ByteBuffer.allocate(HEADER_LENGTH + properties.length).order(ByteOrder.LITTLE_ENDIAN);
        buffer.putInt(MAGIC_OFFSET, MAGIC);
        buffer.putShort(VERSION_OFFSET, VERSION);
        buffer.putInt(SUBBUF_SIZE_OFFSET, header.subbufSize());
        buffer.putInt(N_SUBBUFS_OFFSET, header.nSubbufs());
        buffer.putInt(CPUS_OFFSET, header.cpus());
        buffer.putInt(PROPERTIES_LENGTH_OFFSET, properties.length);
        buffer.putLong(CLOCK_NANO_OFFSET, header.clockNanoTime());
        buffer.putLong(CLOCK_EPOCH_NANOS_OFFSET, header.clockEpochNanos());
        buffer.putLong(PID_OFFSET, header.pid());
        buffer.put(HEADER_LENGTH, properties);
        buffer.putInt(CRC_OFFSET, Checksums.crc32c(buffer, 0, buffer.capacity(), CRC_OFFSET));
        return buffer;
    }

    /**
     * Decodes a header file.
     *
     * @param file the whole file, any position; read little-endian.
     * @return the header.
     * @throws FormatException naming what is wrong: not a header, a version this reader does not
     *     know, truncated, or a checksum mismatch.
     */
    public static TraceHeader decode(final ByteBuffer file) throws FormatException
    {
        final ByteBuffer buffer = file.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        final int length = buffer.limit();
        if (length < 4 || buffer.getInt(MAGIC_OFFSET) != MAGIC)
        {
            throw new FormatException(0, "not a relaytrace header file (magic 'RTTH' expected)");
        }
        if (length < HEADER_LENGTH)
        {
            throw new FormatException(length, "header file truncated: length=" + length + " < " + HEADER_LENGTH);
        }
        final short version = buffer.getShort(VERSION_OFFSET);
        if (version != VERSION)
        {
            throw new FormatException(VERSION_OFFSET,
                "header file version=" + version + " is not supported (this reader knows version " + VERSION + ")");
        }
        final int propertiesLength = buffer.getInt(PROPERTIES_LENGTH_OFFSET);
        if (propertiesLength < 0 || propertiesLength > length - HEADER_LENGTH)
        {
            throw new FormatException(PROPERTIES_LENGTH_OFFSET,
                "header file truncated: properties length=" + propertiesLength + " but " +
                (length - HEADER_LENGTH) + " bytes follow the header");
        }
        final int stored = buffer.getInt(CRC_OFFSET);
        if (stored != Checksums.crc32c(buffer, 0, HEADER_LENGTH + propertiesLength, CRC_OFFSET))
        {
            throw new FormatException(CRC_OFFSET, "header file checksum mismatch");
        }
        final byte[] properties = new byte[propertiesLength];
        buffer.get(HEADER_LENGTH, properties);
        return new TraceHeader(
            buffer.getInt(SUBBUF_SIZE_OFFSET),
            buffer.getInt(N_SUBBUFS_OFFSET),
            buffer.getInt(CPUS_OFFSET),
            buffer.getLong(CLOCK_NANO_OFFSET),
            buffer.getLong(CLOCK_EPOCH_NANOS_OFFSET),
            buffer.getLong(PID_OFFSET),
            decodeProperties(properties));
    }

    private static byte[] encodeProperties(final Map<String, String> properties)
    {
        final StringBuilder text = new StringBuilder();
        for (final Map.Entry<String, String> e : properties.entrySet())
        {
            text.append(escape(e.getKey())).append('=').append(escape(e.getValue())).append('\n');
        }
        return text.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static Map<String, String> decodeProperties(final byte[] bytes)
    {
        final Map<String, String> properties = new LinkedHashMap<>();
        for (final String line : new String(bytes, StandardCharsets.UTF_8).split("\n"))
        {
            final int eq = line.indexOf('=');
            if (eq > 0)
            {
                properties.put(unescape(line.substring(0, eq)), unescape(line.substring(eq + 1)));
            }
        }
        return properties;
    }

    private static String escape(final String s)
    {
        return s.replace("\\", "\\\\").replace("\n", "\\n").replace("=", "\\e");
    }

    private static String unescape(final String s)
    {
        final StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++)
        {
            final char c = s.charAt(i);
            if (c == '\\' && i + 1 < s.length())
            {
                final char next = s.charAt(++i);
                out.append(next == 'n' ? '\n' : next == 'e' ? '=' : next);
            }
            else
            {
                out.append(c);
            }
        }
        return out.toString();
    }
}
