package io.relaytrace.relay;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;

/**
 * The memory a buffer lives in: direct memory of this process, or a memory-mapped file that
 * outlives the process (so that committed events survive {@code kill -9} and another process can
 * follow the buffer live).
 */
abstract class BufferMemory
{
    private final ByteBuffer buffer;

    BufferMemory(final ByteBuffer buffer)
    {
        this.buffer = buffer.order(ByteOrder.LITTLE_ENDIAN);
    }

    ByteBuffer buffer()
    {
        return buffer;
    }

    /** @return the mapped file, or null for process memory. */
    abstract Path file();

    /** Process memory. Direct, because release stores are not allowed on heap byte buffers. */
    static final class Direct extends BufferMemory
    {
        Direct(final int capacity)
        {
            super(ByteBuffer.allocateDirect(capacity));
        }

        @Override
        Path file()
        {
            return null;
        }
    }

    /** A mapped file: a {@link MappedBufferDescriptor} header, then the sub-buffers. */
    static final class Mapped extends BufferMemory
    {
        private final Path file;

        private Mapped(final Path file, final ByteBuffer buffer)
        {
            super(buffer);
            this.file = file;
        }

        static Mapped create(
            final Path file, final int bufferId, final int cpuSlot, final long carrierId,
            final int subbufSize, final int nSubbufs) throws IOException
        {
            final long size = (long)subbufSize * nSubbufs;
            // Owner-only, as every trace file: a mapped buffer holds the same events.
            try (FileChannel channel = FileChannel.open(file,
                Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.READ, StandardOpenOption.WRITE),
                OutputFiles.OWNER_ONLY_FILE))
            {
                final int headerLength = io.relaytrace.relay.format.MappedBufferDescriptor.HEADER_LENGTH;
                final MappedByteBuffer whole = channel.map(FileChannel.MapMode.READ_WRITE, 0, headerLength + size);
                whole.order(ByteOrder.LITTLE_ENDIAN);
                io.relaytrace.relay.format.MappedBufferDescriptor.write(
                    whole, bufferId, cpuSlot, carrierId, subbufSize, nSubbufs);
                return new Mapped(file, whole.slice(headerLength, (int)size));
            }
            catch (final IOException ex)
            {
                throw OutputFiles.explained(ex); // a directory made read-only: say so, not only the file's name
            }
        }

        @Override
        Path file()
        {
            return file;
        }

        void delete()
        {
            try
            {
                Files.deleteIfExists(file);
            }
            catch (final IOException ignore)
            {
                // The file is a crash-recovery aid; a leftover one is read and ignored later.
            }
        }
    }
}
