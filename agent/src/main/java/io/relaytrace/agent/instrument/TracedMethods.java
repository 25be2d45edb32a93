package io.relaytrace.agent.instrument;

import io.relaytrace.agent.config.AgentOptions;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * The methods of a transformed class that get advice: those the options trace, with a body
 * (not abstract, not native), and not bridges (a bridge only forwards to the method it bridges,
 * which is traced itself; tracing both would count one call twice). Constructors and plain methods
 * are matched separately because they get different advice.
 */
final class TracedMethods extends ElementMatcher.Junction.AbstractBase<MethodDescription>
{
    private final AgentOptions options;
    private final boolean constructors;

    private TracedMethods(final AgentOptions options, final boolean constructors)
    {
        this.options = options;
        this.constructors = constructors;
    }

    static TracedMethods methods(final AgentOptions options)
    {
        return new TracedMethods(options, false);
    }

    static TracedMethods constructors(final AgentOptions options)
    {
        return new TracedMethods(options, true);
    }

    @Override
    public boolean matches(final MethodDescription method)
    {
        if (method.isTypeInitializer() || method.isConstructor() != constructors ||
            method.isAbstract() || method.isNative() || method.isBridge())
        {
            return false;
        }
        return options.tracesMethod(method.getDeclaringType().asErasure().getName(), method.getInternalName());
    }
}
