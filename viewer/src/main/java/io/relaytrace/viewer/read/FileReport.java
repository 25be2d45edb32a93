package io.relaytrace.viewer.read;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.ToLongFunction;

/**
 * What the validating pass found in one trace file: its blocks, the damaged regions skipped, and
 * the buffers whose blocks it holds.
 */
public final class FileReport
{
    private final String name;
    private final Path path;
    private final boolean global;
    private final boolean exists;
    private final long size;
    private final DamagedRegions damaged = new DamagedRegions();
    private final List<BufferAccount> buffers = new ArrayList<>();
    private final List<Problem> problems = new ArrayList<>();
    private final ByteBuffer salvaged;
    private long blocks;
    private long records;

    FileReport(final String name, final Path path, final boolean global, final boolean exists, final long size)
    {
        this(name, path, global, exists, size, null);
    }

    private FileReport(
        final String name, final Path path, final boolean global, final boolean exists, final long size,
        final ByteBuffer salvaged)
    {
        this.name = name;
        this.path = path;
        this.global = global;
        this.exists = exists;
        this.size = size;
        this.salvaged = salvaged;
    }

    /**
     * The blocks salvaged from a mapped buffer file, read as if they were a file of their own.
     *
     * @param blocks the salvaged blocks one after the other, from index 0 to the limit.
     */
    static FileReport salvaged(final String name, final Path path, final boolean global, final ByteBuffer blocks)
    {
        return new FileReport(name, path, global, true, blocks.limit(), blocks);
    }

    void countBlock(final int blockRecords)
    {
        blocks++;
        records += blockRecords;
    }

    /** @return a window on the file's bytes (see {@link FileWindow}), or on the salvaged blocks. */
    FileWindow window(final java.nio.channels.FileChannel channel, final int capacity, final int readAhead)
    {
        return salvaged != null ? new FileWindow(salvaged) : new FileWindow(channel, size, capacity, readAhead);
    }

    DamagedRegions damagedRegions()
    {
        return damaged;
    }

    List<BufferAccount> mutableBuffers()
    {
        return buffers;
    }

    List<Problem> mutableProblems()
    {
        return problems;
    }

    /** @return the file's name in the trace directory. */
    public String name()
    {
        return name;
    }

    public Path path()
    {
        return path;
    }

    /** @return true for the global buffer's file (definitions), false for a per-CPU file. */
    public boolean isGlobal()
    {
        return global;
    }

    /** @return false if the header says the file should be there and it is not. */
    public boolean exists()
    {
        return exists;
    }

    public long size()
    {
        return size;
    }

    /** @return valid blocks read. */
    public long blocks()
    {
        return blocks;
    }

    /** @return damaged regions skipped (each reported as one problem). */
    public int damagedRegionCount()
    {
        return damaged.count();
    }

    /** @return bytes in damaged regions. */
    public long bytesSkipped()
    {
        return damaged.bytes();
    }

    /**
     * @return the buffers whose first blocks are in this file, in order of their first block
     *     (a buffer whose blocks continue in salvaged blocks is listed with its file only).
     */
    public List<BufferAccount> buffers()
    {
        return Collections.unmodifiableList(buffers);
    }

    /** @return the problems found in this file. */
    public List<Problem> problems()
    {
        return Collections.unmodifiableList(problems);
    }

    /** @return true for the blocks salvaged from a mapped buffer file left by a JVM that died. */
    public boolean isSalvaged()
    {
        return salvaged != null;
    }

    /** @return event records read in this file's blocks. */
    public long records()
    {
        return records;
    }

    /** @return events lost between blocks, every buffer. */
    public long lost()
    {
        return sum(BufferAccount::lost);
    }

    /** @return events dropped (buffer full), every buffer. */
    public long dropped()
    {
        return sum(BufferAccount::dropped);
    }

    /** @return events too big for a sub-buffer, every buffer. */
    public long tooBig()
    {
        return sum(BufferAccount::tooBig);
    }

    private long sum(final ToLongFunction<BufferAccount> count)
    {
        long total = 0;
        for (final BufferAccount b : buffers)
        {
            total = Counters.sum(total, count.applyAsLong(b));
        }
        return total;
    }

    /**
     * A total over the files of a trace, of either the global file's count (definitions) or the
     * others' (events): the global buffer's records are definitions, whose loss is not events'.
     *
     * @param files  the reports of a trace's files.
     * @param global true for the global file's (definitions), false for every other file's (events).
     * @param count  what to add up, 0 or more per file.
     * @return the total, {@link Long#MAX_VALUE} at most (a hostile trace's counts do not overflow).
     */
    public static long total(final List<FileReport> files, final boolean global, final ToLongFunction<FileReport> count)
    {
        long total = 0;
        for (final FileReport file : files)
        {
            if (file.isGlobal() == global)
            {
                total = Counters.sum(total, count.applyAsLong(file));
            }
        }
        return total;
    }
}
