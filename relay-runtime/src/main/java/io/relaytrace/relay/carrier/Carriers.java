package io.relaytrace.relay.carrier;

import java.util.concurrent.ForkJoinWorkerThread;

/**
 * The carrier lookup for this JVM, chosen once: {@link PlatformCarrierLookup} before JDK 21,
 * {@link JavaLangAccessCarrierLookup} on 21+ when {@code java.base} exports
 * {@code jdk.internal.access} to this module, {@link UnattributedVirtualLookup} otherwise.
 * The choice is a static final field, so the JIT sees a single implementation.
 */
public final class Carriers
{
    private static final CarrierLookup LOOKUP = choose();

    private Carriers()
    {
    }

    /** @return the lookup in use. */
    public static CarrierLookup lookup()
    {
        return LOOKUP;
    }

    /** @return the carrier of the current thread, or null if it cannot be known. */
    public static Thread currentCarrier()
    {
        return LOOKUP.currentCarrier();
    }

    /**
     * A carrier's preferred CPU slot: a virtual-thread carrier (a fork/join worker) by its pool
     * index; -1 for any other thread, which the channel spreads over the slots.
     *
     * @param carrier the carrier thread.
     * @return the pool index, or -1.
     */
    public static int poolIndex(final Thread carrier)
    {
        return carrier instanceof ForkJoinWorkerThread ? ((ForkJoinWorkerThread)carrier).getPoolIndex() : -1;
    }

    /**
     * @return true if this JVM has virtual threads (JDK 21+).
     */
    public static boolean virtualThreadsSupported()
    {
        return Runtime.version().feature() >= 21;
    }

    private static CarrierLookup choose()
    {
        if (!virtualThreadsSupported())
        {
            return new PlatformCarrierLookup();
        }
        final Module base = Object.class.getModule();
        if (base.isExported("jdk.internal.access", Carriers.class.getModule()))
        {
            try
            {
                final CarrierLookup lookup = new JavaLangAccessCarrierLookup();
                lookup.currentCarrier();
                return lookup;
            }
            catch (final LinkageError | RuntimeException ex)
            {
                // Fall through: treat the carrier as unreachable rather than fail the caller.
            }
        }
        return new UnattributedVirtualLookup();
    }
}
