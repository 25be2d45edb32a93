package io.relaytrace.viewer;

import io.relaytrace.relay.format.Checksums;
import io.relaytrace.relay.format.SubbufDescriptor;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static io.relaytrace.relay.format.SubbufDescriptor.HEADER_LENGTH;

/** Copies and damages trace files for tests: the one place where tests cut, flip and walk blocks. */
public final class TraceSurgery
{
    private TraceSurgery()
    {
    }

    /** Copies every file of trace directory {@code from} into {@code to}, emptied or created first. */
    public static Path copy(final Path from, final Path to) throws IOException
    {
        if (Files.exists(to))
        {
            try (Stream<Path> files = Files.list(to))
            {
                for (final Path p : files.toList())
                {
                    Files.delete(p);
                }
            }
        }
        else
        {
            Files.createDirectories(to);
        }
        try (Stream<Path> files = Files.list(from))
        {
            for (final Path p : files.toList())
            {
                Files.copy(p, to.resolve(p.getFileName()));
            }
        }
        return to;
    }

    /**
     * Block starts in a file, found by walking Content Length fields from the start: the tests' own
     * oracle, independent of the viewer's scanner. Only for undamaged files.
     */
    public static List<Long> blockStarts(final Path file) throws IOException
    {
        final ByteBuffer bytes = read(file);
        final List<Long> starts = new ArrayList<>();
        int at = 0;
        while (at + HEADER_LENGTH <= bytes.limit())
        {
            starts.add((long)at);
            at += HEADER_LENGTH + bytes.getInt(at + SubbufDescriptor.CONTENT_LENGTH_OFFSET);
        }
        if (at != bytes.limit())
        {
            throw new IllegalStateException("file=" + file + " does not end at a block boundary: at=" + at);
        }
        return starts;
    }

    /** @return the Content Length of the block at {@code blockStart}. */
    public static int contentLength(final Path file, final long blockStart)
    {
        try
        {
            return read(file).getInt((int)blockStart + SubbufDescriptor.CONTENT_LENGTH_OFFSET);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    public static void truncate(final Path file, final long size) throws IOException
    {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE))
        {
            channel.truncate(size);
        }
    }

    /**
     * Appends bytes {@code [from, to)} of {@code source} to {@code target} (created if absent), as
     * a writer appending to a trace file does: a reader holding {@code target} open sees it grow.
     */
    public static void appendRange(final Path source, final Path target, final long from, final long to) throws IOException
    {
        final byte[] bytes = Files.readAllBytes(source);
        try (FileChannel channel = FileChannel.open(target, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
            StandardOpenOption.APPEND))
        {
            final ByteBuffer range = ByteBuffer.wrap(bytes, (int)from, (int)(to - from));
            while (range.hasRemaining())
            {
                channel.write(range);
            }
        }
    }

    /** Flips bit 6 of the byte at {@code offset}. */
    public static void flip(final Path file, final long offset) throws IOException
    {
        final byte[] bytes = Files.readAllBytes(file);
        bytes[(int)offset] ^= 0x40;
        Files.write(file, bytes);
    }

    /**
     * Sets a header field of the block at {@code blockStart} and recomputes the block's CRC32C, as a
     * hostile or buggy writer would: the block still validates.
     *
     * @param field  the field's offset in the block header ({@code SubbufDescriptor.*_OFFSET}).
     * @param value  its new value.
     * @param length 8 for a 64-bit field, 4 for a 32-bit one.
     */
    public static void resealBlockField(final Path file, final long blockStart, final int field, final long value,
        final int length) throws IOException
    {
        final ByteBuffer bytes = read(file);
        final int at = (int)blockStart;
        if (length == 8)
        {
            bytes.putLong(at + field, value);
        }
        else
        {
            bytes.putInt(at + field, (int)value);
        }
        final int end = at + HEADER_LENGTH + bytes.getInt(at + SubbufDescriptor.CONTENT_LENGTH_OFFSET);
        bytes.putInt(at + SubbufDescriptor.CRC_OFFSET, Checksums.crc32c(bytes, at, end, SubbufDescriptor.CRC_OFFSET));
        Files.write(file, bytes.array());
    }

    /** @return the whole file, little-endian. */
    public static ByteBuffer read(final Path file) throws IOException
    {
        return ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
    }
}
