package io.relaytrace.agent.config;

/**
 * One {@code include=} or {@code exclude=} value: {@code class-glob[::method-glob]}, for example
 * {@code com.acme.**} or {@code com.acme.Cart::add*}. The class glob is matched against binary
 * class names with dots ({@code com.acme.Cart$Item}), the method glob against method names as in
 * the class file ({@code <init>} for constructors). No method glob means every method.
 */
public final class MethodPattern
{
    private static final String SEPARATOR = "::";

    private final String text;
    private final Glob classGlob;
    private final Glob methodGlob;

    private MethodPattern(final String text, final Glob classGlob, final Glob methodGlob)
    {
        this.text = text;
        this.classGlob = classGlob;
        this.methodGlob = methodGlob;
    }

    /**
     * @param key  the option the pattern came from, for the error message.
     * @param text the pattern.
     * @return the compiled pattern.
     * @throws OptionsException if either glob is empty or holds characters a class or method name cannot.
     */
    static MethodPattern parse(final String key, final String text) throws OptionsException
    {
        final int split = text.indexOf(SEPARATOR);
        final String classPart = split < 0 ? text : text.substring(0, split);
        final String methodPart = split < 0 ? null : text.substring(split + SEPARATOR.length());
        if (!validClassGlob(classPart) || (methodPart != null && !validMethodGlob(methodPart)))
        {
            throw new OptionsException(key + "=" + text + " is not a valid pattern; expected class-glob[::method-glob] " +
                "such as com.acme.** or com.acme.Cart::add* (* within one name, ** any depth)");
        }
        return new MethodPattern(text, Glob.compile(classPart), methodPart == null ? null : Glob.compile(methodPart));
    }

    private static boolean validClassGlob(final String glob)
    {
        if (glob.isEmpty() || glob.startsWith(".") || glob.endsWith(".") || glob.contains(".."))
        {
            return false;
        }
        for (int i = 0; i < glob.length(); i++)
        {
            final char c = glob.charAt(i);
            if (!(Character.isJavaIdentifierPart(c) || c == '.' || c == '*' || c == '?'))
            {
                return false;
            }
        }
        return true;
    }

    private static boolean validMethodGlob(final String glob)
    {
        if (glob.isEmpty())
        {
            return false;
        }
        for (int i = 0; i < glob.length(); i++)
        {
            final char c = glob.charAt(i);
            if (!(Character.isJavaIdentifierPart(c) || c == '*' || c == '?' || c == '<' || c == '>'))
            {
                return false;
            }
        }
        return true;
    }

    /** @return true if the class glob matches; says nothing about the methods. */
    boolean matchesClass(final String className)
    {
        return classGlob.matches(className);
    }

    /** @return true if this pattern covers every method of a class it matches. */
    boolean coversAllMethods()
    {
        return methodGlob == null;
    }

    boolean matchesMethod(final String className, final String methodName)
    {
        return classGlob.matches(className) && (methodGlob == null || methodGlob.matches(methodName));
    }

    @Override
    public String toString()
    {
        return text;
    }
}
