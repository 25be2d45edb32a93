package io.relaytrace.relay.format;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.zip.CRC32C;

import static io.relaytrace.relay.format.SubbufDescriptor.*;

/**
 * Salvages the events a JVM that died left in a mapped buffer file ({@link MappedBufferDescriptor}).
 * Every sub-buffer slot whose header is intact yields a block for the committed content the trace
 * files do not already hold, flagged {@link SubbufDescriptor#FLAG_RECOVERED}, with a fresh CRC32C,
 * ready to be read like a block from a file.
 * <p>
 * Assumptions: the writer published each slot's Content Length with a release store after the
 * bytes, and wrote Content Length = 0 before any other field when it entered a slot, so a slot is
 * either consistent or empty; a JVM killed at any instruction leaves no torn event behind.
 * <p>
 * Example:
 * <pre>{@code
 * Salvage s = MappedBufferRecovery.salvage(file, (bufferId, seq) -> onDiskEnd(bufferId, seq));
 * for (ByteBuffer block : s.blocks()) decode(block);
 * }</pre>
 */
public final class MappedBufferRecovery
{
    /** How much of a sub-buffer's content the trace files already hold. */
    @FunctionalInterface
    public interface OnDisk
    {
        /**
         * @return the end of the content of sub-buffer {@code sequence} of buffer {@code bufferId}
         *     already in the files, 0 if none of it is.
         */
        int contentEnd(int bufferId, long sequence);
    }

    /**
     * What one mapped file gave back.
     *
     * @param bufferId  the buffer.
     * @param cpuSlot   its CPU slot (-1: global buffer).
     * @param carrierId its carrier's thread id (-1: global buffer).
     * @param blocks    recovered blocks in sequence order, each from position 0 to its limit.
     */
    public record Salvage(int bufferId, int cpuSlot, long carrierId, List<ByteBuffer> blocks)
    {
    }

    private MappedBufferRecovery()
    {
    }

    /**
     * @param file   a mapped buffer file.
     * @param onDisk what the files already hold.
     * @return the recovered blocks.
     * @throws IOException     if the file cannot be read.
     * @throws FormatException if it is not a mapped buffer file, of an unknown version, or its
     *     geometry does not match its length.
     */
    public static Salvage salvage(final Path file, final OnDisk onDisk) throws IOException, FormatException
    {
        final ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        MappedBufferDescriptor.check(bytes);
        final int bufferId = bytes.getInt(MappedBufferDescriptor.BUFFER_ID_OFFSET);
        final int subbufSize = bytes.getInt(MappedBufferDescriptor.SUBBUF_SIZE_OFFSET);
        final int nSubbufs = bytes.getInt(MappedBufferDescriptor.N_SUBBUFS_OFFSET);

        final List<ByteBuffer> blocks = new ArrayList<>();
        final CRC32C crc = new CRC32C();
        for (int slot = 0; slot < nSubbufs; slot++)
        {
            final int base = MappedBufferDescriptor.HEADER_LENGTH + slot * subbufSize;
            if (bytes.getInt(base + MAGIC_OFFSET) != MAGIC || bytes.getShort(base + VERSION_OFFSET) != VERSION ||
                bytes.getInt(base + BUFFER_ID_OFFSET) != bufferId)
            {
                continue; // never entered
            }
            final int committed = bytes.getInt(base + CONTENT_LENGTH_OFFSET);
            if (committed < 0 || committed > subbufSize - HEADER_LENGTH)
            {
                continue;
            }
            final long sequence = bytes.getLong(base + SEQUENCE_OFFSET);
            final int from = Math.max(0, onDisk.contentEnd(bufferId, sequence));
            if (from >= committed)
            {
                continue;
            }
            final boolean finished = (bytes.getShort(base + FLAGS_OFFSET) & FLAG_FINISHED) != 0;
            final int length = committed - from;
            final ByteBuffer block = ByteBuffer.allocate(HEADER_LENGTH + length).order(ByteOrder.LITTLE_ENDIAN);
            block.put(0, bytes, base, HEADER_LENGTH);
            block.put(HEADER_LENGTH, bytes, base + HEADER_LENGTH + from, length);
            block.putShort(FLAGS_OFFSET, (short)(FLAG_RECOVERED | (finished ? FLAG_FINISHED : 0)));
            block.putInt(CONTENT_OFFSET_OFFSET, from);
            block.putInt(CONTENT_LENGTH_OFFSET, length);
            block.putInt(CRC_OFFSET, Checksums.crc32c(crc, block, 0, block.limit(), CRC_OFFSET));
            blocks.add(block);
        }
        blocks.sort(Comparator.comparingLong(b -> b.getLong(SEQUENCE_OFFSET)));
        return new Salvage(bufferId, bytes.getInt(MappedBufferDescriptor.CPU_SLOT_OFFSET),
            bytes.getLong(MappedBufferDescriptor.CARRIER_ID_OFFSET), blocks);
    }
}
