package io.relaytrace.relay;

import io.relaytrace.relay.format.Checksums;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static io.relaytrace.relay.format.SubbufDescriptor.*;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Reads the blocks of a channel's output files back, checking each one's magic and CRC. */
final class TraceFiles
{
    /** One block: its header fields and a copy of its content. */
    record Block(int bufferId, int slot, long carrierId, long sequence, short flags, long context,
                 long eventsBefore, long dropped, long tooBig, long lost, int contentOffset, int padding,
                 ByteBuffer content)
    {
        boolean isFinal()
        {
            return (flags & FLAG_FINAL) != 0;
        }
    }

    private TraceFiles()
    {
    }

    static List<Block> blocks(final Path file) throws IOException
    {
        final ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        final List<Block> blocks = new ArrayList<>();
        int at = 0;
        // A block still being appended by the flusher may end the file: stop before it.
        while (at + HEADER_LENGTH <= bytes.limit() &&
            at + HEADER_LENGTH + bytes.getInt(at + CONTENT_LENGTH_OFFSET) <= bytes.limit())
        {
            assertEquals(MAGIC, bytes.getInt(at + MAGIC_OFFSET), "magic at " + file + ":" + at);
            final int length = bytes.getInt(at + CONTENT_LENGTH_OFFSET);
            final int end = at + HEADER_LENGTH + length;
            assertEquals(bytes.getInt(at + CRC_OFFSET), Checksums.crc32c(bytes, at, end, CRC_OFFSET), "crc at " + file + ":" + at);
            final ByteBuffer content = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
            content.put(0, bytes, at + HEADER_LENGTH, length);
            blocks.add(new Block(
                bytes.getInt(at + BUFFER_ID_OFFSET), bytes.getInt(at + CPU_SLOT_OFFSET), bytes.getLong(at + CARRIER_ID_OFFSET),
                bytes.getLong(at + SEQUENCE_OFFSET), bytes.getShort(at + FLAGS_OFFSET), bytes.getLong(at + CONTEXT_OFFSET),
                bytes.getLong(at + EVENTS_BEFORE_OFFSET), bytes.getLong(at + DROPPED_BEFORE_OFFSET),
                bytes.getLong(at + TOO_BIG_BEFORE_OFFSET), bytes.getLong(at + LOST_BEFORE_OFFSET),
                bytes.getInt(at + CONTENT_OFFSET_OFFSET), bytes.getInt(at + PADDING_OFFSET), content));
            at = end;
        }
        return blocks;
    }

    /** Every block of every per-CPU file and the global file. */
    static List<Block> allBlocks(final Path dir, final String base, final int cpus) throws IOException
    {
        final List<Block> blocks = new ArrayList<>();
        for (int slot = 0; slot < cpus; slot++)
        {
            blocks.addAll(blocks(dir.resolve(base + slot)));
        }
        blocks.addAll(blocks(dir.resolve(base + "global")));
        return blocks;
    }
}
