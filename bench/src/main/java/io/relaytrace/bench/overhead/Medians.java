package io.relaytrace.bench.overhead;

import java.util.Arrays;
import java.util.List;
import java.util.function.ToLongFunction;

/** Medians of run figures: the middle value, or the mean of the two middle ones. */
final class Medians
{
    private Medians()
    {
    }

    static <T> double median(final List<T> items, final ToLongFunction<T> figure)
    {
        return median(items.stream().mapToLong(figure).toArray());
    }

    static double median(final long[] values)
    {
        if (values.length == 0)
        {
            return Double.NaN;
        }
        final long[] sorted = values.clone();
        Arrays.sort(sorted);
        final int mid = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2.0;
    }
}
