package io.relaytrace.viewer.analysis;

import java.util.regex.Pattern;

/**
 * A shell-style pattern over whole names: {@code *} any run of characters, {@code ?} one
 * character, everything else literal. Example: {@code com.acme.Cart.*} matches
 * {@code com.acme.Cart.add(java.lang.String,int)}.
 */
public final class Glob
{
    private final Pattern pattern;

    public Glob(final String glob)
    {
        final StringBuilder regex = new StringBuilder();
        final StringBuilder literal = new StringBuilder();
        for (int i = 0; i < glob.length(); i++)
        {
            final char c = glob.charAt(i);
            if (c == '*' || c == '?')
            {
                if (literal.length() > 0)
                {
                    regex.append(Pattern.quote(literal.toString()));
                    literal.setLength(0);
                }
                regex.append(c == '*' ? ".*" : ".");
            }
            else
            {
                literal.append(c);
            }
        }
        if (literal.length() > 0)
        {
            regex.append(Pattern.quote(literal.toString()));
        }
        this.pattern = Pattern.compile(regex.toString(), Pattern.DOTALL);
    }

    public boolean matches(final String name)
    {
        return pattern.matcher(name).matches();
    }
}
