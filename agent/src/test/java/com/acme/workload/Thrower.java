package com.acme.workload;

/** An exception thrown in level3 that passes through level2 and level1: each exits by THROW. */
final class Thrower
{
    private Thrower()
    {
    }

    static int level1(final int i)
    {
        return level2(i) + 1;
    }

    static int level2(final int i)
    {
        return level3(i) + 1;
    }

    static int level3(final int i)
    {
        throw new WorkloadException("failure " + i);
    }
}
