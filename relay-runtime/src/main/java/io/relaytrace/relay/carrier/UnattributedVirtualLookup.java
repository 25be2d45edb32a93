package io.relaytrace.relay.carrier;

/**
 * JDK 21+ without access to the carrier: platform threads are their own carriers, and a virtual
 * thread has no known carrier, so its events are refused and counted rather than written into a
 * buffer that another thread may be writing. Loaded only on JDK 21+.
 */
final class UnattributedVirtualLookup implements CarrierLookup
{
    @Override
    public Thread currentCarrier()
    {
        final Thread thread = Thread.currentThread();
        return thread.isVirtual() ? null : thread;
    }

    @Override
    public boolean seesCarriers()
    {
        return false;
    }
}
