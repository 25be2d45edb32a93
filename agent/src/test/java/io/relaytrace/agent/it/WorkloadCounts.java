package io.relaytrace.agent.it;

import com.acme.workload.Workload;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/**
 * The calls and exceptions one {@code Workload.runOnce()} makes, per method as the viewer names it,
 * derived from the workload's constants.
 */
final class WorkloadCounts
{
    private static final String PKG = "com.acme.workload.";

    private final Map<String, long[]> expected = new LinkedHashMap<>();

    private WorkloadCounts()
    {
    }

    /**
     * @param jdk     the JVM the workload ran in (virtual threads on 21+ only).
     * @param runs    how many times {@code runOnce} ran while traced.
     * @param mainToo whether {@code main} was entered while traced.
     * @param firstRunTraced whether the first run of the JVM was traced (classes initialise then).
     */
    static WorkloadCounts of(final Jdk jdk, final int runs, final boolean mainToo, final boolean firstRunTraced)
    {
        final WorkloadCounts c = new WorkloadCounts();
        c.put("Workload.main(java.lang.String[])", mainToo ? 1 : 0, 0);
        c.put("Workload.runOnce()", runs, 0);
        // Both copies of Recursion, the application's and the isolated loader's, under one name.
        c.put("Recursion.depth(int)", runs * (Workload.RECURSION_DEPTH + 1 + Workload.ISOLATED_DEPTH + 1), 0);
        c.put("Isolated.run()", runs, 0);
        c.put("Thrower.level1(int)", runs * Workload.THROWS, runs * Workload.THROWS);
        c.put("Thrower.level2(int)", runs * Workload.THROWS, runs * Workload.THROWS);
        c.put("Thrower.level3(int)", runs * Workload.THROWS, runs * Workload.THROWS);
        c.put("WorkloadException.<init>(java.lang.String)", runs * Workload.THROWS, 0);
        c.put("Item.<init>(int)", runs * (Workload.ITEMS + 1), runs);
        c.put("Item.check(int)", runs * (Workload.ITEMS + 1), runs);
        c.put("Item.value()", runs * Workload.ITEMS, 0);
        c.put("Shapes.run()", runs, 0);
        // The enum's constants are made once per JVM, by its static initializer (not traced).
        c.put("Shapes$Kind.<init>(java.lang.String,int)", firstRunTraced ? 2 : 0, 0);
        c.put("Shapes$Kind.$values()", firstRunTraced ? 1 : 0, 0);
        c.put("Shapes$Kind.values()", runs, 0);
        c.put("Shapes$Point.<init>(int,int)", runs * 2, runs);
        c.put("Shapes$Point.x()", runs, 0);
        c.put("Shapes$Describable.of(java.lang.String)", runs, 0);
        c.put("Shapes$Describable.of$lambda#0(java.lang.String)", runs, 0);
        c.put("Shapes$Describable.describe()", runs, 0);
        c.put("Shapes$Labelled.<init>()", runs, 0);
        c.put("Shapes$Labelled.<init>(java.lang.String)", runs, 0);
        c.put("Shapes$Labelled.label()", runs, 0);
        c.put("Counter.<init>()", runs, 0);
        c.put("Counter.increment()", runs * Workload.POOL_TASKS, 0);
        c.put("Counter.count()", runs, 0);
        final boolean virtual = jdk.hasVirtualThreads();
        c.put("VirtualWork.run(int,int)", virtual ? runs : 0, 0);
        c.put("VirtualWork.step(int,int)", virtual ? runs * Workload.VIRTUAL_THREADS * Workload.VIRTUAL_STEPS : 0, 0);
        c.put("VirtualWork.run$lambda#0(int,java.util.concurrent.atomic.AtomicLong,int)",
            virtual ? runs * Workload.VIRTUAL_THREADS : 0, 0);
        return c;
    }

    private void put(final String method, final long calls, final long exceptions)
    {
        expected.put(PKG + method, new long[] {calls, exceptions});
    }

    /** @return the calls of every method together. */
    long totalCalls()
    {
        return expected.values().stream().mapToLong(callsAndExceptions -> callsAndExceptions[0]).sum();
    }

    void assertMatches(final TraceSummary summary)
    {
        assertAll(expected.entrySet().stream().map(e -> () ->
            assertArrayEquals(e.getValue(), summary.callsAndExceptions(e.getKey()),
                () -> "[calls, exceptions] of " + e.getKey() + " in " + summary)));
    }
}
