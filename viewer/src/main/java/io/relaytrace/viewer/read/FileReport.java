package io.relaytrace.viewer.read;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

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
    private long blocks;

    FileReport(final String name, final Path path, final boolean global, final boolean exists, final long size)
    {
        this.name = name;
        this.path = path;
        this.global = global;
        this.exists = exists;
        this.size = size;
    }

    void countBlock()
    {
        blocks++;
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

    /** @return the buffers whose blocks are in this file, in order of their first block. */
    public List<BufferAccount> buffers()
    {
        return Collections.unmodifiableList(buffers);
    }

    /** @return the problems found in this file. */
    public List<Problem> problems()
    {
        return Collections.unmodifiableList(problems);
    }

    /** @return event records read, every buffer. */
    public long records()
    {
        long total = 0;
        for (final BufferAccount b : buffers)
        {
            total += b.records();
        }
        return total;
    }

    /** @return events lost between blocks, every buffer. */
    public long lost()
    {
        long total = 0;
        for (final BufferAccount b : buffers)
        {
            total += b.lost();
        }
        return total;
    }

    /** @return events dropped (buffer full), every buffer. */
    public long dropped()
    {
        long total = 0;
        for (final BufferAccount b : buffers)
        {
            total += b.dropped();
        }
        return total;
    }

    /** @return events too big for a sub-buffer, every buffer. */
    public long tooBig()
    {
        long total = 0;
        for (final BufferAccount b : buffers)
        {
            total += b.tooBig();
        }
        return total;
    }
}
