package io.relaytrace.demo;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The demo workload of {@code bin/relaytrace demo}: a small shop whose orders are handled by
 * virtual threads (one per order) and by a pool of platform threads, with nested calls, a
 * recursive price calculation and payments that sometimes fail with an exception. Its call counts
 * are fixed by its arguments, so a trace of it can be checked exactly.
 * <p>
 * Usage: {@code java io.relaytrace.demo.DemoWorkload [orders] [itemsPerOrder]} (defaults 2000 and 5).
 */
public final class DemoWorkload
{
    private DemoWorkload()
    {
    }

    public static void main(final String[] args) throws InterruptedException
    {
        final int orders = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
        final int items = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        final Shop shop = new Shop();
        final AtomicLong failed = new AtomicLong();

        final long start = System.nanoTime();
        try (ExecutorService virtual = Executors.newVirtualThreadPerTaskExecutor();
             ExecutorService platform = Executors.newFixedThreadPool(4))
        {
            for (int order = 0; order < orders; order++)
            {
                final int id = order;
                final ExecutorService executor = order % 2 == 0 ? virtual : platform;
                executor.submit(() ->
                {
                    if (!shop.placeOrder(id, items))
                    {
                        failed.incrementAndGet();
                    }
                });
            }
            virtual.shutdown();
            platform.shutdown();
            virtual.awaitTermination(1, TimeUnit.MINUTES);
            platform.awaitTermination(1, TimeUnit.MINUTES);
        }
        final long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        System.out.println("demo: " + orders + " orders of " + items + " items, " + failed.get() +
            " payments declined, " + millis + " ms");
    }
}
