package io.relaytrace.agent.instrument;

import io.relaytrace.agent.config.AgentOptions;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * The classes worth transforming: the options may trace some of their methods. Interfaces count:
 * their default, static and private methods (lambda bodies among them) have code.
 */
final class TracedTypes extends ElementMatcher.Junction.AbstractBase<TypeDescription>
{
    private final AgentOptions options;

    TracedTypes(final AgentOptions options)
    {
        this.options = options;
    }

    @Override
    public boolean matches(final TypeDescription type)
    {
        return !type.isAnnotation() && options.tracesClass(type.getName());
    }
}
