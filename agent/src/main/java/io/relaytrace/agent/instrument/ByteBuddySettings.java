package io.relaytrace.agent.instrument;

import net.bytebuddy.ByteBuddy;

/**
 * Byte Buddy's process-wide settings, applied before any of its classes initialise.
 * <p>
 * Safe mode: without it Byte Buddy probes {@code sun.misc.Unsafe} when its class injector
 * initialises, and JDK 24+ prints a deprecation warning on the application's stderr. The agent
 * never injects classes (advice is inlined, class formats are frozen), so it loses nothing. The
 * property is named after Byte Buddy's relocated package, so an application's own Byte Buddy
 * is not affected.
 */
final class ByteBuddySettings
{
    private ByteBuddySettings()
    {
    }

    static void safeMode()
    {
        // ByteBuddy.class is loaded here, not initialised: no Byte Buddy code has run yet.
        System.setProperty(ByteBuddy.class.getPackageName() + ".safe", "true");
    }
}
