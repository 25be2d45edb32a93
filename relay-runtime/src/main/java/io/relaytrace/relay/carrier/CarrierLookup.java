package io.relaytrace.relay.carrier;

/**
 * Finds the carrier of the current thread: the platform thread a virtual thread is mounted on,
 * or the current thread itself when it is a platform thread.
 */
public interface CarrierLookup
{
    /**
     * @return the carrier of the current thread, or null when it cannot be known (a virtual
     *     thread in a JVM where the carrier is not reachable).
     */
    Thread currentCarrier();

    /** @return true when virtual threads are attributed to their carriers. */
    boolean seesCarriers();
}
