package com.acme.workload;

/**
 * Constructors of every shape the compiler emits: an enum's (called from its static initializer),
 * a record's compact constructor that throws, and a constructor delegating with {@code this(...)}
 * whose argument constructs other objects first; and an interface's default, static and lambda methods.
 */
final class Shapes
{
    private Shapes()
    {
    }

    enum Kind
    {
        SQUARE,
        CIRCLE
    }

    record Point(int x, int y)
    {
        Point
        {
            if (x < 0)
            {
                throw new IllegalArgumentException("x=" + x + " must be >= 0");
            }
        }
    }

    interface Describable
    {
        String name();

        default String describe()
        {
            return "shape:" + name();
        }

        static Describable of(final String name)
        {
            return () -> name;
        }
    }

    static final class Labelled
    {
        private final String label;

        Labelled()
        {
            this(new StringBuilder("un").append("named").toString());
        }

        Labelled(final String label)
        {
            this.label = label;
        }

        String label()
        {
            return label;
        }
    }

    static int run()
    {
        int n = 0;
        for (final Kind kind : Kind.values())
        {
            n += kind.ordinal();
        }
        n += new Point(1, 2).x();
        try
        {
            new Point(-1, 0);
        }
        catch (final IllegalArgumentException ex)
        {
            n++;
        }
        n += Describable.of("square").describe().length();
        return n + new Labelled().label().length();
    }
}
