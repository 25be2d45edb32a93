package com.acme.shapes;

/**
 * Methods of the shapes the instrumentation must handle, for {@code TracedClassVisitorTest}: a loop
 * at the first instruction (a stack map frame at offset 0), returns of every kind from inside
 * handlers, an exception through a {@code finally}, a synchronized method, and constructors that
 * delegate with an argument that constructs, or throw after {@code super()}.
 */
public final class Bytecode
{
    private final long value;

    public Bytecode()
    {
        this(new StringBuilder("1").append('2').length());
    }

    public Bytecode(final long value)
    {
        super();
        if (value < 0)
        {
            throw new IllegalArgumentException("value=" + value + " must be >= 0");
        }
        this.value = value;
    }

    public static int countDown(int n)
    {
        while (n > 0)
        {
            n--;
        }
        return n;
    }

    public long twice()
    {
        try
        {
            return Math.multiplyExact(value, 2L);
        }
        catch (final ArithmeticException ex)
        {
            return Long.MAX_VALUE;
        }
    }

    public static double half(final double x)
    {
        return x / 2;
    }

    public static int[] pair(final int a, final int b)
    {
        return new int[] {a, b};
    }

    public static String caught(final String text)
    {
        try
        {
            return text.trim();
        }
        catch (final NullPointerException ex)
        {
            return "null";
        }
    }

    public static void throwsThroughFinally(final StringBuilder log)
    {
        try
        {
            throw new IllegalStateException("boom");
        }
        finally
        {
            log.append("finally");
        }
    }

    public synchronized boolean locked()
    {
        return Thread.holdsLock(this);
    }
}
