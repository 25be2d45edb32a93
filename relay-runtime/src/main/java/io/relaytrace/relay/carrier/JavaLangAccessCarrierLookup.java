package io.relaytrace.relay.carrier;

import jdk.internal.access.JavaLangAccess;
import jdk.internal.access.SharedSecrets;

/**
 * JDK 21+ with {@code jdk.internal.access} exported to this module (the agent does it with
 * {@code Instrumentation.redefineModule}; tests with {@code --add-exports}). About 1.3 ns a call.
 * Loaded only after both are checked.
 */
final class JavaLangAccessCarrierLookup implements CarrierLookup
{
    private static final JavaLangAccess JLA = SharedSecrets.getJavaLangAccess();

    @Override
    public Thread currentCarrier()
    {
        return JLA.currentCarrierThread();
    }

    @Override
    public boolean seesCarriers()
    {
        return true;
    }
}
