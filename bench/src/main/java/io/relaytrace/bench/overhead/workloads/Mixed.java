package io.relaytrace.bench.overhead.workloads;

import io.relaytrace.demo.DemoWorkload;

/**
 * The {@code mixed} workload: the demo shop ({@link DemoWorkload}: virtual and platform threads,
 * nested calls, recursion, exceptions, a synchronized method) run from outside its package, so
 * tracing {@code io.relaytrace.demo.**} traces the demo and not this wrapper.
 * <p>
 * Usage: {@code java io.relaytrace.bench.overhead.workloads.Mixed [orders] [itemsPerOrder]}
 * (defaults 2,000 and 5). Prints {@code workload=mixed calls=N selectedCalls=M loopNanos=T
 * checksum=0}: {@code N} calls of every method of the demo package, {@code M} calls of the
 * {@link #SELECTED_METHODS} (the ones named to JFR and async-profiler, which take no globs). Both
 * are exact: the demo's call counts follow from its arguments alone.
 */
public final class Mixed
{
    /** The demo's main methods, as {@code class::method}: what JFR and async-profiler trace. */
    public static final String[] SELECTED_METHODS =
        {
            "io.relaytrace.demo.Shop::placeOrder",
            "io.relaytrace.demo.Cart::add",
            "io.relaytrace.demo.Inventory::reserve",
            "io.relaytrace.demo.Pricing::price",
            "io.relaytrace.demo.Payments::charge",
            "io.relaytrace.demo.Payments::authorize",
        };

    /** Pricing.price's recursion depth in Shop.placeOrder: depth 6 is 7 calls. */
    private static final int PRICE_CALLS = 7;

    private Mixed()
    {
    }

    public static void main(final String[] args) throws InterruptedException
    {
        final int orders = WorkloadArgs.intArg(args, 0, 2_000, "orders");
        final int items = WorkloadArgs.intArg(args, 1, 5, "itemsPerOrder");
        final long start = System.nanoTime();
        DemoWorkload.main(new String[] {Integer.toString(orders), Integer.toString(items)});
        final long loopNanos = System.nanoTime() - start;
        System.out.println("workload=mixed calls=" + packageCalls(orders, items) + " selectedCalls=" +
            selectedCalls(orders, items) + " loopNanos=" + loopNanos + " checksum=0");
    }

    /** Per order: placeOrder, add and reserve per item, price's recursion, charge, authorize. */
    static long selectedCalls(final int orders, final int items)
    {
        return (long)orders * (1 + 2L * items + PRICE_CALLS + 2);
    }

    /**
     * Every method of the demo package: the selected ones, plus per order the task lambda in
     * DemoWorkload.main, Cart's constructor and Cart.quantity, plus one PaymentDeclinedException
     * constructor per declined order (order id % 7 == 3), plus DemoWorkload.main and the
     * constructors of Shop, Inventory and Payments once.
     */
    static long packageCalls(final int orders, final int items)
    {
        final long declined = orders > 3 ? (orders - 4) / 7 + 1 : 0;
        return selectedCalls(orders, items) + 3L * orders + declined + 4;
    }
}
