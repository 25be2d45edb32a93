package io.relaytrace.viewer.read;

/**
 * Formats a method as Java writes it: the class's binary name, a dot, the method name, and the
 * parameter types in parentheses, decoded from the JVM descriptor.
 * <p>
 * Example: {@code format("com.acme.Cart", "add", "(Ljava/lang/String;I)V")} is
 * {@code com.acme.Cart.add(java.lang.String,int)}; arrays read {@code int[][]}; constructors
 * keep their JVM name {@code <init>}. A descriptor that does not parse is shown as it is after
 * the name, so that nothing is hidden.
 */
public final class MethodNames
{
    private MethodNames()
    {
    }

    /**
     * @param className  binary class name, with dots (slashes are turned into dots too).
     * @param methodName the method's name.
     * @param descriptor its JVM descriptor, e.g. {@code (Ljava/lang/String;I)V}.
     * @return the formatted name.
     */
    public static String format(final String className, final String methodName, final String descriptor)
    {
        final StringBuilder out = new StringBuilder(className.length() + methodName.length() + descriptor.length() + 8);
        out.append(className.replace('/', '.')).append('.').append(methodName);
        final int mark = out.length();
        if (!appendParameters(out, descriptor))
        {
            out.setLength(mark);
            out.append(descriptor);
        }
        return out.toString();
    }

    private static boolean appendParameters(final StringBuilder out, final String descriptor)
    {
        if (descriptor.isEmpty() || descriptor.charAt(0) != '(')
        {
            return false;
        }
        out.append('(');
        int i = 1;
        boolean first = true;
        while (i < descriptor.length() && descriptor.charAt(i) != ')')
        {
            if (!first)
            {
                out.append(',');
            }
            first = false;
            i = appendType(out, descriptor, i);
            if (i < 0)
            {
                return false;
            }
        }
        if (i >= descriptor.length())
        {
            return false;
        }
        out.append(')');
        return true;
    }

    /** @return the index after the type at {@code i}, or -1 if none is there. */
    private static int appendType(final StringBuilder out, final String descriptor, final int i)
    {
        int at = i;
        int dimensions = 0;
        while (at < descriptor.length() && descriptor.charAt(at) == '[')
        {
            dimensions++;
            at++;
        }
        if (at >= descriptor.length())
        {
            return -1;
        }
        final char c = descriptor.charAt(at);
        final int next;
        if (c == 'L')
        {
            final int semicolon = descriptor.indexOf(';', at);
            if (semicolon < 0)
            {
                return -1;
            }
            out.append(descriptor, at + 1, semicolon);
            for (int k = out.length() - (semicolon - at - 1); k < out.length(); k++)
            {
                if (out.charAt(k) == '/')
                {
                    out.setCharAt(k, '.');
                }
            }
            next = semicolon + 1;
        }
        else
        {
            final String primitive = primitive(c);
            if (primitive == null)
            {
                return -1;
            }
            out.append(primitive);
            next = at + 1;
        }
        for (int d = 0; d < dimensions; d++)
        {
            out.append("[]");
        }
        return next;
    }

    private static String primitive(final char c)
    {
        switch (c)
        {
            case 'Z': return "boolean";
            case 'B': return "byte";
            case 'C': return "char";
            case 'S': return "short";
            case 'I': return "int";
            case 'J': return "long";
            case 'F': return "float";
            case 'D': return "double";
            default: return null;
        }
    }
}
