package com.acme.workload;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * A traced application with exactly known call counts, for the agent's child-JVM tests. Every
 * count below is a constant that the tests assert against the trace. Prints one line whose text
 * does not depend on tracing, so a test can check that the agent changed nothing.
 * <p>
 * Arguments: none to run the work once; {@code interactive} to print {@code ready}, then run the
 * work once for every {@code run} line on stdin until stdin ends (for attach and detach tests);
 * {@code hold} and {@code release} start a thread that waits inside a traced method and let it go;
 * {@code file} writes a temporary file through a {@code FileChannel}, as the agent does (on JDK 17
 * the JDK then keeps one end of a unix socket pair for closing file channels).
 */
public final class Workload
{
    public static final int RECURSION_DEPTH = 100;
    public static final int ISOLATED_DEPTH = 4;
    public static final int THROWS = 10;
    public static final int ITEMS = 50;
    public static final int POOL_THREADS = 4;
    public static final int POOL_TASKS = 1000;
    public static final int VIRTUAL_THREADS = 2000;
    public static final int VIRTUAL_STEPS = 3;

    private Workload()
    {
    }

    public static void main(final String[] args) throws Exception
    {
        if (args.length == 1 && "interactive".equals(args[0]))
        {
            System.out.println("ready");
            final BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            String line;
            while ((line = in.readLine()) != null)
            {
                if ("run".equals(line))
                {
                    System.out.println("done checksum=" + runOnce());
                }
                else if ("hold".equals(line))
                {
                    Holder.start();
                    System.out.println("holding");
                }
                else if ("file".equals(line))
                {
                    final Path file = Files.createTempFile("workload-", ".tmp");
                    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.DELETE_ON_CLOSE))
                    {
                        channel.write(ByteBuffer.wrap(new byte[] {1}));
                    }
                    System.out.println("file written");
                }
                else if ("release".equals(line))
                {
                    Holder.release();
                    System.out.println("released");
                }
            }
            return;
        }
        System.out.println("workload done checksum=" + runOnce());
    }

    static long runOnce() throws Exception
    {
        long checksum = Recursion.depth(RECURSION_DEPTH);
        checksum += Isolated.run();

        int caught = 0;
        for (int i = 0; i < THROWS; i++)
        {
            try
            {
                Thrower.level1(i);
            }
            catch (final WorkloadException ex)
            {
                caught++;
            }
        }
        checksum += caught;

        final List<Item> items = new ArrayList<>();
        for (int i = 0; i < ITEMS; i++)
        {
            items.add(new Item(i));
        }
        for (final Item item : items)
        {
            checksum += item.value();
        }
        try
        {
            items.add(new Item(-1));
        }
        catch (final IllegalArgumentException ex)
        {
            checksum++;
        }

        checksum += Shapes.run();

        final Counter counter = new Counter();
        final ExecutorService pool = Executors.newFixedThreadPool(POOL_THREADS);
        final List<Future<?>> futures = new ArrayList<>();
        for (int i = 0; i < POOL_TASKS; i++)
        {
            futures.add(pool.submit(counter::increment));
        }
        for (final Future<?> future : futures)
        {
            future.get();
        }
        pool.shutdown();
        pool.awaitTermination(1, TimeUnit.MINUTES);
        checksum += counter.count();

        if (Runtime.version().feature() >= 21)
        {
            checksum += VirtualWork.run(VIRTUAL_THREADS, VIRTUAL_STEPS);
        }
        return checksum;
    }
}
