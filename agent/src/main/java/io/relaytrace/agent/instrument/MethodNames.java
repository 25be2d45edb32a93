package io.relaytrace.agent.instrument;

/**
 * The name a method is shown under. Lambda bodies, which javac compiles to synthetic methods named
 * {@code lambda$<enclosing>$<n>}, are shown as {@code <enclosing>$lambda#<n>}
 * ({@code lambda$main$0} becomes {@code main$lambda#0}; javac's {@code new} and {@code static}
 * become {@code <init>} and {@code <clinit>}). Every other name is kept as in the class file.
 */
final class MethodNames
{
    private static final String LAMBDA_PREFIX = "lambda$";

    private MethodNames()
    {
    }

    /**
     * @param name      the method's name in the class file.
     * @param synthetic whether the method is synthetic.
     * @return the name to put in the METHOD_DEF record.
     */
    static String readable(final String name, final boolean synthetic)
    {
        if (!synthetic || !name.startsWith(LAMBDA_PREFIX))
        {
            return name;
        }
        final int last = name.lastIndexOf('$');
        if (last <= LAMBDA_PREFIX.length())
        {
            return name;
        }
        final String enclosing = name.substring(LAMBDA_PREFIX.length(), last);
        final String index = name.substring(last + 1);
        final String shown = "new".equals(enclosing) ? "<init>" : "static".equals(enclosing) ? "<clinit>" : enclosing;
        return shown + "$lambda#" + index;
    }
}
