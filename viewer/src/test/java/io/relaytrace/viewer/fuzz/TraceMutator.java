package io.relaytrace.viewer.fuzz;

import io.relaytrace.relay.format.Checksums;
import io.relaytrace.relay.format.ClosedMarkerDescriptor;
import io.relaytrace.relay.format.MappedBufferDescriptor;
import io.relaytrace.relay.format.SubbufDescriptor;
import io.relaytrace.relay.format.TraceHeaderDescriptor;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;

import static io.relaytrace.relay.format.SubbufDescriptor.HEADER_LENGTH;

/**
 * Damages a trace held in memory (file name to bytes), as a hostile or broken file would: bit flips,
 * random byte runs, truncations, huge length fields, fields set to extreme values with the checksum
 * recomputed (a hostile file, not a corrupt one), duplicated and reordered blocks, swapped and missing
 * files. Records what it did ({@link #description()}) and what the reader should still read
 * ({@link #expectedBlocks()}).
 * <p>
 * Assumption: the trace given is intact, so that its blocks can be found by walking Content Length.
 */
final class TraceMutator
{
    private static final long[] EXTREME_LONGS = {0, 1, -1, Long.MAX_VALUE, Long.MIN_VALUE, Integer.MAX_VALUE, 1L << 40};
    private static final int[] EXTREME_INTS = {0, 1, -1, 3, Integer.MAX_VALUE, Integer.MIN_VALUE, 0xFFFF, 1 << 24, 104, 4096};

    private final SplittableRandom random;
    private final Map<String, byte[]> files;
    private final Map<String, List<Integer>> seedStarts;
    /** Files whose blocks moved (duplicated, reordered): a later mutation by position cannot name the seed's block. */
    private final Set<String> moved = new HashSet<>();
    private final List<String> steps = new ArrayList<>();
    /** Files whose blocks no longer say anything (swapped, or the header changed). */
    private final Set<String> noOracle = new HashSet<>();
    /** Per file: indices of the seed's blocks that a mutation touched. */
    private final Map<String, Set<Integer>> touched = new TreeMap<>();
    private boolean headerChanged;

    /**
     * @param files  the intact trace; copied, never changed.
     * @param random the only source of choices: the same seed makes the same mutations.
     */
    TraceMutator(final Map<String, byte[]> files, final SplittableRandom random)
    {
        this.random = random;
        this.files = new TreeMap<>();
        this.seedStarts = new TreeMap<>();
        for (final Map.Entry<String, byte[]> e : files.entrySet())
        {
            this.files.put(e.getKey(), e.getValue().clone());
            if (isBlockFile(e.getKey()))
            {
                seedStarts.put(e.getKey(), blockStarts(e.getValue()));
            }
        }
    }

    /** @return the mutated trace. */
    Map<String, byte[]> files()
    {
        return files;
    }

    String description()
    {
        return String.join("; ", steps);
    }

    /**
     * @return per block file of the seed that is still present and still means what it meant: the
     *     fewest blocks the reader must still read in it (its blocks that no mutation touched);
     *     empty if the header changed (the geometry decides what a valid block is).
     */
    Map<String, Integer> expectedBlocks()
    {
        final Map<String, Integer> expected = new TreeMap<>();
        if (headerChanged)
        {
            return expected;
        }
        for (final Map.Entry<String, List<Integer>> e : seedStarts.entrySet())
        {
            if (files.containsKey(e.getKey()) && !noOracle.contains(e.getKey()))
            {
                expected.put(e.getKey(), e.getValue().size() - touched.getOrDefault(e.getKey(), Set.of()).size());
            }
        }
        return expected;
    }

    /** Applies one to three mutations chosen at random. */
    void mutate()
    {
        final int count = 1 + random.nextInt(3);
        for (int i = 0; i < count && !files.isEmpty(); i++)
        {
            mutateOnce();
        }
    }

    private void mutateOnce()
    {
        final String file = pickFile();
        final byte[] bytes = files.get(file);
        switch (random.nextInt(12))
        {
            case 0 -> flipBits(file, bytes);
            case 1 -> randomRun(file, bytes);
            case 2 -> truncate(file, bytes);
            case 3 -> hugeContentLength(file, bytes);
            case 4, 5 -> resealBlockField(file, bytes);
            case 6, 7 -> resealRecordField(file, bytes);
            case 8 -> duplicateOrReorderBlocks(file, bytes);
            case 9 -> swapFiles(file);
            case 10 -> deleteFile(file);
            default -> resealFileHeader(file, bytes);
        }
    }

    private String pickFile()
    {
        final List<String> names = new ArrayList<>(files.keySet());
        return names.get(random.nextInt(names.size()));
    }

    private void flipBits(final String file, final byte[] bytes)
    {
        if (bytes.length == 0)
        {
            return;
        }
        final int bits = 1 + random.nextInt(8);
        final int at = random.nextInt(bytes.length);
        final int span = Math.min(bytes.length - at, 1 + random.nextInt(32));
        for (int i = 0; i < bits; i++)
        {
            bytes[at + random.nextInt(span)] ^= (byte)(1 << random.nextInt(8));
        }
        steps.add("flip " + bits + " bits in " + file + " [" + at + ", " + (at + span) + ")");
        damaged(file, at, at + span);
    }

    private void randomRun(final String file, final byte[] bytes)
    {
        if (bytes.length == 0)
        {
            return;
        }
        final int at = random.nextInt(bytes.length);
        final int length = Math.min(bytes.length - at, 1 + random.nextInt(random.nextBoolean() ? 8 : 300));
        for (int i = 0; i < length; i++)
        {
            bytes[at + i] = (byte)random.nextInt(256);
        }
        steps.add("random bytes in " + file + " [" + at + ", " + (at + length) + ")");
        damaged(file, at, at + length);
    }

    private void truncate(final String file, final byte[] bytes)
    {
        final int length = bytes.length == 0 ? 0 : random.nextInt(bytes.length);
        files.put(file, Arrays.copyOf(bytes, length));
        steps.add("truncate " + file + " to " + length + " of " + bytes.length);
        damaged(file, length, Integer.MAX_VALUE);
    }

    /** Content Length only, checksum left as it was: the length must be checked before it is used. */
    private void hugeContentLength(final String file, final byte[] bytes)
    {
        final List<Integer> starts = isBlockFile(file) ? blockStartsOrEmpty(bytes) : List.of();
        if (starts.isEmpty())
        {
            flipBits(file, bytes);
            return;
        }
        final int block = random.nextInt(starts.size());
        final int value = new int[] {Integer.MAX_VALUE, -1, Integer.MIN_VALUE, 1 << 30, bytes.length, 0x7FFFFF98}[random.nextInt(6)];
        buffer(bytes).putInt(starts.get(block) + SubbufDescriptor.CONTENT_LENGTH_OFFSET, value);
        steps.add("content length of block " + block + " of " + file + " = " + value);
        touchBlock(file, block);
    }

    /** A header field of one block set to an extreme value, the block's checksum recomputed. */
    private void resealBlockField(final String file, final byte[] bytes)
    {
        final List<Integer> starts = isBlockFile(file) ? blockStartsOrEmpty(bytes) : List.of();
        if (starts.isEmpty())
        {
            resealFileHeader(file, bytes);
            return;
        }
        final int block = random.nextInt(starts.size());
        final int at = starts.get(block);
        final ByteBuffer b = buffer(bytes);
        final int[] longFields = {SubbufDescriptor.CARRIER_ID_OFFSET, SubbufDescriptor.SEQUENCE_OFFSET,
            SubbufDescriptor.FIRST_TIMESTAMP_OFFSET, SubbufDescriptor.LAST_TIMESTAMP_OFFSET, SubbufDescriptor.CONTEXT_OFFSET,
            SubbufDescriptor.EVENTS_BEFORE_OFFSET, SubbufDescriptor.DROPPED_BEFORE_OFFSET, SubbufDescriptor.TOO_BIG_BEFORE_OFFSET,
            SubbufDescriptor.LOST_BEFORE_OFFSET};
        final int[] intFields = {SubbufDescriptor.BUFFER_ID_OFFSET, SubbufDescriptor.CPU_SLOT_OFFSET,
            SubbufDescriptor.CONTENT_OFFSET_OFFSET, SubbufDescriptor.PADDING_OFFSET};
        final String what;
        final int choice = random.nextInt(longFields.length + intFields.length + 1);
        if (choice < longFields.length)
        {
            final long value = extremeLong();
            b.putLong(at + longFields[choice], value);
            what = "field@" + longFields[choice] + " = " + value;
        }
        else if (choice < longFields.length + intFields.length)
        {
            final int value = extremeInt();
            b.putInt(at + intFields[choice - longFields.length], value);
            what = "field@" + intFields[choice - longFields.length] + " = " + value;
        }
        else
        {
            final short flags = (short)random.nextInt(16);
            b.putShort(at + SubbufDescriptor.FLAGS_OFFSET, flags);
            what = "flags = " + flags;
        }
        resealBlock(b, at);
        steps.add("resealed block " + block + " of " + file + ": " + what);
        touchBlock(file, block);
    }

    /** A field of one record inside a block's content (type, length, ids, timestamps, string lengths), checksum recomputed. */
    private void resealRecordField(final String file, final byte[] bytes)
    {
        final List<Integer> starts = isBlockFile(file) ? blockStartsOrEmpty(bytes) : List.of();
        final List<Integer> withContent = new ArrayList<>();
        for (int i = 0; i < starts.size(); i++)
        {
            if (buffer(bytes).getInt(starts.get(i) + SubbufDescriptor.CONTENT_LENGTH_OFFSET) >= 8)
            {
                withContent.add(i);
            }
        }
        if (withContent.isEmpty())
        {
            randomRun(file, bytes);
            return;
        }
        final int block = withContent.get(random.nextInt(withContent.size()));
        final int at = starts.get(block);
        final ByteBuffer b = buffer(bytes);
        final int length = b.getInt(at + SubbufDescriptor.CONTENT_LENGTH_OFFSET);
        // Walk the records by their lengths to a random one (stop at anything odd).
        int record = at + HEADER_LENGTH;
        final int end = record + length;
        final int skip = random.nextInt(16);
        for (int i = 0; i < skip; i++)
        {
            final int recordLength = b.getInt(record) >>> 8;
            if (recordLength < 4 || record + recordLength + 4 > end)
            {
                break;
            }
            record += recordLength;
        }
        final int room = end - record;
        final String what;
        if (random.nextInt(3) == 0 || room < 8)
        {
            final int value = random.nextBoolean() ? extremeInt() : (random.nextInt(12) | extremeInt() << 8);
            b.putInt(record, value);
            what = "record header = " + value;
        }
        else
        {
            final int offset = 4 + 2 * random.nextInt(Math.max(1, Math.min(room, 32) / 2 - 2));
            if (random.nextBoolean() && offset + 8 <= room)
            {
                final long value = extremeLong();
                b.putLong(record + offset, value);
                what = "record field@" + offset + " = " + value + " (8 bytes)";
            }
            else
            {
                final short value = (short)new int[] {-1, 0, 0x7FFF, 0x8000, 1000, 1}[random.nextInt(6)];
                b.putShort(record + offset, value);
                what = "record field@" + offset + " = " + value + " (2 bytes)";
            }
        }
        resealBlock(b, at);
        steps.add("resealed record at " + (record - at - HEADER_LENGTH) + " of block " + block + " of " + file + ": " + what);
        touchBlock(file, block);
    }

    private void duplicateOrReorderBlocks(final String file, final byte[] bytes)
    {
        final List<Integer> starts = isBlockFile(file) ? blockStartsOrEmpty(bytes) : List.of();
        if (starts.size() < 2)
        {
            truncate(file, bytes);
            return;
        }
        final List<byte[]> blocks = new ArrayList<>();
        for (int i = 0; i < starts.size(); i++)
        {
            final int to = i + 1 < starts.size() ? starts.get(i + 1) : bytes.length;
            blocks.add(Arrays.copyOfRange(bytes, starts.get(i), to));
        }
        final int i = random.nextInt(blocks.size());
        final int j = random.nextInt(blocks.size());
        if (random.nextBoolean())
        {
            blocks.add(j, blocks.get(i).clone());
            steps.add("block " + i + " of " + file + " copied before block " + j);
        }
        else
        {
            final byte[] swap = blocks.get(i);
            blocks.set(i, blocks.get(j));
            blocks.set(j, swap);
            steps.add("blocks " + i + " and " + j + " of " + file + " swapped");
        }
        final ByteBuffer joined = ByteBuffer.allocate(blocks.stream().mapToInt(block -> block.length).sum());
        blocks.forEach(joined::put);
        files.put(file, joined.array());
        // Every block is still whole and valid on its own (or as damaged as before): as many must be read.
        moved.add(file);
    }

    private void swapFiles(final String file)
    {
        final String other = pickFile();
        final byte[] a = files.get(file);
        files.put(file, files.get(other));
        files.put(other, a);
        steps.add("files " + file + " and " + other + " swapped");
        noOracle.add(file);
        noOracle.add(other);
        headerChanged |= file.endsWith(TraceHeaderDescriptor.FILE_SUFFIX) || other.endsWith(TraceHeaderDescriptor.FILE_SUFFIX);
    }

    private void deleteFile(final String file)
    {
        files.remove(file);
        steps.add("file " + file + " deleted");
        headerChanged |= file.endsWith(TraceHeaderDescriptor.FILE_SUFFIX);
    }

    /** A field of the trace header, the close marker or a mapped buffer's header; checksums recomputed where there are. */
    private void resealFileHeader(final String file, final byte[] bytes)
    {
        final ByteBuffer b = buffer(bytes);
        final int value = extremeInt();
        if (file.endsWith(TraceHeaderDescriptor.FILE_SUFFIX) && bytes.length >= TraceHeaderDescriptor.HEADER_LENGTH)
        {
            final int[] fields = {TraceHeaderDescriptor.SUBBUF_SIZE_OFFSET, TraceHeaderDescriptor.N_SUBBUFS_OFFSET,
                TraceHeaderDescriptor.CPUS_OFFSET, TraceHeaderDescriptor.PROPERTIES_LENGTH_OFFSET,
                TraceHeaderDescriptor.CLOCK_NANO_OFFSET, TraceHeaderDescriptor.PID_OFFSET};
            final int field = fields[random.nextInt(fields.length)];
            b.putInt(field, value);
            final int properties = b.getInt(TraceHeaderDescriptor.PROPERTIES_LENGTH_OFFSET);
            if (properties >= 0 && properties <= bytes.length - TraceHeaderDescriptor.HEADER_LENGTH)
            {
                b.putInt(TraceHeaderDescriptor.CRC_OFFSET, Checksums.crc32c(b, 0, TraceHeaderDescriptor.HEADER_LENGTH + properties,
                    TraceHeaderDescriptor.CRC_OFFSET));
            }
            steps.add("resealed header field@" + field + " = " + value);
            headerChanged = true;
        }
        else if (file.endsWith(ClosedMarkerDescriptor.FILE_SUFFIX) && bytes.length == ClosedMarkerDescriptor.LENGTH)
        {
            // The six counts from Events Committed to Blocks Not Written, or Events Failed.
            final int pick = random.nextInt(7);
            final int field = pick == 6 ? ClosedMarkerDescriptor.FAILED_OFFSET : ClosedMarkerDescriptor.EVENTS_OFFSET + 8 * pick;
            final long big = extremeLong();
            b.putLong(field, big);
            b.putInt(ClosedMarkerDescriptor.CRC_OFFSET, Checksums.crc32c(b, 0, ClosedMarkerDescriptor.LENGTH,
                ClosedMarkerDescriptor.CRC_OFFSET));
            steps.add("resealed close marker field@" + field + " = " + big);
        }
        else if (file.endsWith(MappedBufferDescriptor.SUFFIX) && bytes.length >= MappedBufferDescriptor.HEADER_LENGTH)
        {
            final int[] fields = {MappedBufferDescriptor.BUFFER_ID_OFFSET, MappedBufferDescriptor.CPU_SLOT_OFFSET,
                MappedBufferDescriptor.SUBBUF_SIZE_OFFSET, MappedBufferDescriptor.N_SUBBUFS_OFFSET};
            final int field = fields[random.nextInt(fields.length)];
            b.putInt(field, value);
            steps.add("mapped header " + file + " field@" + field + " = " + value);
        }
        else
        {
            randomRun(file, bytes);
        }
    }

    private long extremeLong()
    {
        return random.nextInt(4) == 0 ? random.nextLong() : EXTREME_LONGS[random.nextInt(EXTREME_LONGS.length)];
    }

    private int extremeInt()
    {
        return random.nextInt(4) == 0 ? random.nextInt() : EXTREME_INTS[random.nextInt(EXTREME_INTS.length)];
    }

    /** Marks the seed's blocks overlapping {@code [from, to)} of {@code file} as touched. */
    private void damaged(final String file, final long from, final long to)
    {
        headerChanged |= file.endsWith(TraceHeaderDescriptor.FILE_SUFFIX);
        if (!seedStarts.containsKey(file))
        {
            return;
        }
        // Blocks are matched to the seed's by position: valid while no block moved.
        final List<Integer> starts = seedStarts.get(file);
        for (int i = 0; i < starts.size(); i++)
        {
            final long start = starts.get(i);
            final long end = i + 1 < starts.size() ? starts.get(i + 1) : Long.MAX_VALUE;
            if (start < to && end > from)
            {
                touchBlock(file, i);
            }
        }
    }

    private void touchBlock(final String file, final int block)
    {
        if (moved.contains(file))
        {
            noOracle.add(file);
        }
        touched.computeIfAbsent(file, f -> new HashSet<>()).add(block);
    }

    private static void resealBlock(final ByteBuffer b, final int at)
    {
        final int length = b.getInt(at + SubbufDescriptor.CONTENT_LENGTH_OFFSET);
        if (length >= 0 && at + HEADER_LENGTH + (long)length <= b.limit())
        {
            b.putInt(at + SubbufDescriptor.CRC_OFFSET, Checksums.crc32c(b, at, at + HEADER_LENGTH + length, SubbufDescriptor.CRC_OFFSET));
        }
    }

    static boolean isBlockFile(final String name)
    {
        return !name.endsWith(TraceHeaderDescriptor.FILE_SUFFIX) && !name.endsWith(ClosedMarkerDescriptor.FILE_SUFFIX) &&
            !name.endsWith(MappedBufferDescriptor.SUFFIX);
    }

    /** Block starts of an intact block file, by Content Length; empty once that walk no longer ends at the file's end. */
    private static List<Integer> blockStartsOrEmpty(final byte[] bytes)
    {
        try
        {
            return blockStarts(bytes);
        }
        catch (final IllegalStateException ex)
        {
            return List.of();
        }
    }

    static List<Integer> blockStarts(final byte[] bytes)
    {
        final ByteBuffer b = buffer(bytes);
        final List<Integer> starts = new ArrayList<>();
        long at = 0;
        while (at + HEADER_LENGTH <= bytes.length)
        {
            final int length = b.getInt((int)at + SubbufDescriptor.CONTENT_LENGTH_OFFSET);
            if (length < 0 || b.getInt((int)at) != SubbufDescriptor.MAGIC)
            {
                throw new IllegalStateException("not an intact block file at " + at);
            }
            starts.add((int)at);
            at += HEADER_LENGTH + (long)length;
        }
        if (at != bytes.length)
        {
            throw new IllegalStateException("does not end at a block boundary: " + at + " of " + bytes.length);
        }
        return starts;
    }

    private static ByteBuffer buffer(final byte[] bytes)
    {
        return ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    }
}
