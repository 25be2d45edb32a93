package io.relaytrace.viewer.read;

import java.util.Arrays;

/**
 * The byte ranges of a file that a validating pass found damaged, in file order, so that later
 * passes over the same file can step over them without validating again. Memory grows with the
 * number of damaged regions only.
 */
final class DamagedRegions
{
    private long[] starts = new long[4];
    private long[] ends = new long[4];
    private int count;

    /** Adds {@code [start, end)}; regions arrive in file order and do not overlap. */
    void add(final long start, final long end)
    {
        if (count == starts.length)
        {
            starts = Arrays.copyOf(starts, count * 2);
            ends = Arrays.copyOf(ends, count * 2);
        }
        starts[count] = start;
        ends[count] = end;
        count++;
    }

    int count()
    {
        return count;
    }

    long start(final int index)
    {
        return starts[index];
    }

    long end(final int index)
    {
        return ends[index];
    }

    /** @return bytes in all regions. */
    long bytes()
    {
        long total = 0;
        for (int i = 0; i < count; i++)
        {
            total += ends[i] - starts[i];
        }
        return total;
    }

    /** @return the index of the first region starting at or after {@code position}, or {@link #count()}. */
    int firstAtOrAfter(final long position)
    {
        int low = 0;
        int high = count;
        while (low < high)
        {
            final int mid = (low + high) >>> 1;
            if (starts[mid] < position)
            {
                low = mid + 1;
            }
            else
            {
                high = mid;
            }
        }
        return low;
    }
}
