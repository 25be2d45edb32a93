package com.acme.workload;

import net.bytebuddy.ByteBuddy;
import net.bytebuddy.dynamic.loading.ClassLoadingStrategy;

/**
 * An application that ships its own Byte Buddy: generates a class with it and prints what it saw,
 * including Byte Buddy's safe-mode property, which the agent must not set for the application.
 */
public final class OwnByteBuddy
{
    private OwnByteBuddy()
    {
    }

    public static void main(final String[] args) throws Exception
    {
        final Class<?> type = new ByteBuddy()
            .subclass(Object.class)
            .name("com.acme.workload.Generated")
            .make()
            .load(OwnByteBuddy.class.getClassLoader(), ClassLoadingStrategy.Default.WRAPPER)
            .getLoaded();
        System.out.println("generated " + type.getName() + " with " + ByteBuddy.class.getName() +
            " from " + ByteBuddy.class.getProtectionDomain().getCodeSource().getLocation().getPath().endsWith(".jar") +
            " net.bytebuddy.safe=" + System.getProperty("net.bytebuddy.safe"));
    }
}
