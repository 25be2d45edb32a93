package io.relaytrace.agent.it;

import java.nio.file.Files;
import java.nio.file.Path;

/** The JDKs the agent must load in. Both must be installed; a test fails rather than skip without them. */
enum Jdk
{
    JDK_17("/usr/lib/jvm/java-17-openjdk-amd64", 17),
    JDK_25("/usr/lib/jvm/temurin-25-jdk-amd64", 25);

    private final Path home;
    private final int feature;

    Jdk(final String home, final int feature)
    {
        this.home = Path.of(home);
        this.feature = feature;
    }

    /** @return the {@code java} launcher, checked to exist. */
    String java()
    {
        final Path java = home.resolve("bin/java");
        if (!Files.isExecutable(java))
        {
            throw new IllegalStateException("java=" + java + " is not installed; the agent tests need JDK " + feature);
        }
        return java.toString();
    }

    int feature()
    {
        return feature;
    }

    boolean hasVirtualThreads()
    {
        return feature >= 21;
    }
}
