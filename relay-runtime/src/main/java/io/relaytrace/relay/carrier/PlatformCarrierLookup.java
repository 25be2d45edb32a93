package io.relaytrace.relay.carrier;

/** JDK 17: there are no virtual threads, every thread is its own carrier. */
final class PlatformCarrierLookup implements CarrierLookup
{
    @Override
    public Thread currentCarrier()
    {
        return Thread.currentThread();
    }

    @Override
    public boolean seesCarriers()
    {
        return true;
    }
}
