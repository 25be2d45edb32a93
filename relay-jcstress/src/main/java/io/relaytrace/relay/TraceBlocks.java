package io.relaytrace.relay;

import io.relaytrace.relay.format.Checksums;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

import static io.relaytrace.relay.format.SubbufDescriptor.*;

/**
 * Reads one buffer's blocks back from a per-CPU file and decodes their events with
 * {@link TestEvents}, checking each block the way a trace reader would.
 * <p>
 * A block is well-formed when its magic and CRC32C are right, its content fits, and it continues
 * its buffer's sequence: the same sub-buffer as the previous block with Content Offset at the
 * previous block's end, or a later sub-buffer from offset 0 whose Events Before is the number of
 * events before it (exact in no-overwrite mode, where nothing is lost). A final block (the carrier
 * went offline, or the channel closed) has no content, comes last, and its Events Before is every
 * event of the buffer.
 */
final class TraceBlocks
{
    /** A block that is not well-formed. */
    static final long BAD_BLOCK = -2;

    private TraceBlocks()
    {
    }

    /**
     * @param file     a per-CPU file.
     * @param bufferId the buffer whose blocks to decode; other buffers' blocks are skipped.
     * @return the events' digits in file order, 0 for none, {@link TestEvents#TORN} or {@link #BAD_BLOCK}.
     */
    static long decode(final Path file, final int bufferId)
    {
        final ByteBuffer bytes;
        try
        {
            bytes = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot read " + file + ": " + ex.getMessage(), ex);
        }
        long code = 0;
        long events = 0;
        long sequence = -1;
        int contentEnd = 0;
        boolean ended = false;
        int at = 0;
        while (at < bytes.limit())
        {
            if (bytes.limit() - at < HEADER_LENGTH || bytes.getInt(at + MAGIC_OFFSET) != MAGIC)
            {
                report(file, bytes, at);
                return BAD_BLOCK;
            }
            final int length = bytes.getInt(at + CONTENT_LENGTH_OFFSET);
            final int end = at + HEADER_LENGTH + length;
            if (length < 0 || end > bytes.limit() ||
                bytes.getInt(at + CRC_OFFSET) != Checksums.crc32c(bytes, at, end, CRC_OFFSET))
            {
                report(file, bytes, at);
                return BAD_BLOCK;
            }
            if (bytes.getInt(at + BUFFER_ID_OFFSET) == bufferId)
            {
                final long blockSequence = bytes.getLong(at + SEQUENCE_OFFSET);
                final int offset = bytes.getInt(at + CONTENT_OFFSET_OFFSET);
                final long eventsBefore = bytes.getLong(at + EVENTS_BEFORE_OFFSET);
                final boolean last = (bytes.getShort(at + FLAGS_OFFSET) & FLAG_FINAL) != 0;
                final boolean continues = blockSequence == sequence && offset == contentEnd;
                final boolean starts = blockSequence > sequence && offset == 0 && eventsBefore == events;
                final boolean ends = last && length == 0 && blockSequence >= sequence && eventsBefore == events;
                if (ended || !(last ? ends : continues || starts))
                {
                    report(file, bytes, at);
                    return BAD_BLOCK;
                }
                ended = last;
                sequence = blockSequence;
                contentEnd = offset + length;
                code = TestEvents.append(code, bytes, at + HEADER_LENGTH, end);
                events += length / TestEvents.LENGTH;
            }
            at = end;
        }
        return code;
    }

    /**
     * Describes every block of the file on stderr (jcstress shows a forked VM's stderr with the
     * test's results), so that a FORBIDDEN outcome comes with what the file held.
     */
    private static void report(final Path file, final ByteBuffer bytes, final int badAt)
    {
        final StringBuilder out = new StringBuilder("malformed block at ").append(badAt).append(" of ").append(file).append(':');
        int at = 0;
        while (at + HEADER_LENGTH <= bytes.limit())
        {
            final int length = bytes.getInt(at + CONTENT_LENGTH_OFFSET);
            final int end = at + HEADER_LENGTH + length;
            out.append(" [at=").append(at)
                .append(" magic=").append(Integer.toHexString(bytes.getInt(at + MAGIC_OFFSET)))
                .append(" buffer=").append(bytes.getInt(at + BUFFER_ID_OFFSET))
                .append(" seq=").append(bytes.getLong(at + SEQUENCE_OFFSET))
                .append(" flags=").append(bytes.getShort(at + FLAGS_OFFSET))
                .append(" eventsBefore=").append(bytes.getLong(at + EVENTS_BEFORE_OFFSET))
                .append(" offset=").append(bytes.getInt(at + CONTENT_OFFSET_OFFSET))
                .append(" length=").append(length);
            if (length < 0 || end > bytes.limit())
            {
                out.append(" (past the end)]");
                break;
            }
            out.append(" events=").append(TestEvents.decode(bytes, at + HEADER_LENGTH, end)).append(']');
            at = end;
        }
        System.err.println(out);
    }
}
