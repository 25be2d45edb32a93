package io.relaytrace.viewer.export;

import java.util.Locale;

/**
 * The CTF 1.8 metadata (plain TSDL text) of the traces {@link CtfExport} writes: one stream
 * class whose packets and events are laid out as {@link CtfStream} writes them, little-endian,
 * every field byte-aligned, and three event classes.
 * <p>
 * Layout (all integers little-endian, no padding anywhere since every field is byte-aligned):
 * <pre>
 * packet header   uint32 magic 0xC1FC1FC1, uint32 stream_id (0)
 * packet context  uint64 timestamp_begin, uint64 timestamp_end, uint64 content_size (bits),
 *                 uint64 packet_size (bits), uint32 cpu_id
 * event header    uint32 id, uint64 timestamp (clock "monotonic", ns)
 * method_entry (0), method_exit (1):
 *                 string method, int64 thread_id, string thread, uint8 is_virtual, int64 carrier_id
 * method_exception (2): the same, then string exception
 * </pre>
 */
final class CtfMetadata
{
    static final int MAGIC = 0xC1FC1FC1;
    static final int STREAM_ID = 0;
    static final int PACKET_HEADER_LENGTH = 8;
    /** Offsets in the packet of the context fields written when a packet is closed. */
    static final int TIMESTAMP_BEGIN_OFFSET = PACKET_HEADER_LENGTH;
    static final int TIMESTAMP_END_OFFSET = TIMESTAMP_BEGIN_OFFSET + 8;
    static final int CONTENT_SIZE_OFFSET = TIMESTAMP_END_OFFSET + 8;
    static final int PACKET_SIZE_OFFSET = CONTENT_SIZE_OFFSET + 8;
    static final int CPU_ID_OFFSET = PACKET_SIZE_OFFSET + 8;
    static final int PACKET_PREAMBLE_LENGTH = CPU_ID_OFFSET + 4;

    static final int METHOD_ENTRY = 0;
    static final int METHOD_EXIT = 1;
    static final int METHOD_EXCEPTION = 2;

    private CtfMetadata()
    {
    }

    /**
     * @param epochNanosAtZero nanoseconds since 1970-01-01T00:00Z at clock value 0.
     * @param description      free text for the environment, e.g. the traced JVM's pid.
     * @param pid              the traced JVM's process id.
     * @param lost             events lost between blocks, dropped and too big, as {@code summary} counts them:
     *                         the trace's totals in the environment, since CTF cannot place them in time.
     * @param incomplete       true if the trace was not closed cleanly.
     * @return the metadata file's text.
     */
    static String text(
        final long epochNanosAtZero, final long pid, final String description, final long lost, final long dropped,
        final long tooBig, final boolean incomplete)
    {
        final long offsetSeconds = Math.floorDiv(epochNanosAtZero, 1_000_000_000L);
        final long offsetNanos = Math.floorMod(epochNanosAtZero, 1_000_000_000L);
        final String event =
            "\tfields := struct {\n" +
            "\t\tstring method;\n" +
            "\t\tint64_t thread_id;\n" +
            "\t\tstring thread;\n" +
            "\t\tuint8_t is_virtual;\n" +
            "\t\tint64_t carrier_id;\n";
        return String.format(Locale.ROOT,
            "/* CTF 1.8 */\n" +
            "\n" +
            "typealias integer { size = 8; align = 8; signed = false; } := uint8_t;\n" +
            "typealias integer { size = 32; align = 8; signed = false; } := uint32_t;\n" +
            "typealias integer { size = 64; align = 8; signed = false; } := uint64_t;\n" +
            "typealias integer { size = 64; align = 8; signed = true; } := int64_t;\n" +
            "\n" +
            "trace {\n" +
            "\tmajor = 1;\n" +
            "\tminor = 8;\n" +
            "\tbyte_order = le;\n" +
            "\tpacket.header := struct {\n" +
            "\t\tuint32_t magic;\n" +
            "\t\tuint32_t stream_id;\n" +
            "\t};\n" +
            "};\n" +
            "\n" +
            "env {\n" +
            "\ttracer_name = \"relaytrace\";\n" +
            "\tpid = %d;\n" +
            "\tdescription = \"%s\";\n" +
            "\tevents_lost = %d;\n" +
            "\tevents_dropped = %d;\n" +
            "\tevents_too_big = %d;\n" +
            "\tincomplete = %d;\n" +
            "};\n" +
            "\n" +
            "clock {\n" +
            "\tname = monotonic;\n" +
            "\tdescription = \"System.nanoTime() of the traced JVM\";\n" +
            "\tfreq = 1000000000;\n" +
            "\toffset_s = %d;\n" +
            "\toffset = %d;\n" +
            "\tabsolute = false;\n" +
            "};\n" +
            "\n" +
            "typealias integer { size = 64; align = 8; signed = false; map = clock.monotonic.value; } := uint64_clock_t;\n" +
            "\n" +
            "stream {\n" +
            "\tid = %d;\n" +
            "\tpacket.context := struct {\n" +
            "\t\tuint64_clock_t timestamp_begin;\n" +
            "\t\tuint64_clock_t timestamp_end;\n" +
            "\t\tuint64_t content_size;\n" +
            "\t\tuint64_t packet_size;\n" +
            "\t\tuint32_t cpu_id;\n" +
            "\t};\n" +
            "\tevent.header := struct {\n" +
            "\t\tuint32_t id;\n" +
            "\t\tuint64_clock_t timestamp;\n" +
            "\t};\n" +
            "};\n" +
            "\n" +
            "event {\n\tname = \"method_entry\";\n\tid = %d;\n\tstream_id = %d;\n" + event + "\t};\n};\n\n" +
            "event {\n\tname = \"method_exit\";\n\tid = %d;\n\tstream_id = %d;\n" + event + "\t};\n};\n\n" +
            "event {\n\tname = \"method_exception\";\n\tid = %d;\n\tstream_id = %d;\n" + event +
            "\t\tstring exception;\n\t};\n};\n",
            pid, escape(description), lost, dropped, tooBig, incomplete ? 1 : 0, offsetSeconds, offsetNanos, STREAM_ID,
            METHOD_ENTRY, STREAM_ID, METHOD_EXIT, STREAM_ID, METHOD_EXCEPTION, STREAM_ID);
    }

    /** TSDL string literals follow C: backslash and quote escaped; control characters dropped. */
    private static String escape(final String value)
    {
        final StringBuilder out = new StringBuilder(value.length());
        for (int i = 0; i < value.length(); i++)
        {
            final char c = value.charAt(i);
            if (c == '"' || c == '\\')
            {
                out.append('\\').append(c);
            }
            else if (c >= 0x20 && c < 0x7F)
            {
                out.append(c);
            }
        }
        return out.toString();
    }
}
