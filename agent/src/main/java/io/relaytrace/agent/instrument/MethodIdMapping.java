package io.relaytrace.agent.instrument;

import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.annotation.AnnotationDescription;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.method.ParameterDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.implementation.bytecode.assign.Assigner;

/**
 * Resolves {@link MethodId} parameters of the advice to an int constant: the instrumented method's
 * id from {@link MethodIds}, assigned (and its METHOD_DEF written) while the class is transformed.
 */
final class MethodIdMapping implements Advice.OffsetMapping.Factory<MethodId>, Advice.OffsetMapping
{
    private final MethodIds ids;

    MethodIdMapping(final MethodIds ids)
    {
        this.ids = ids;
    }

    @Override
    public Class<MethodId> getAnnotationType()
    {
        return MethodId.class;
    }

    @Override
    public Advice.OffsetMapping make(
        final ParameterDescription.InDefinedShape target,
        final AnnotationDescription.Loadable<MethodId> annotation,
        final AdviceType adviceType)
    {
        if (target.getType().represents(int.class))
        {
            return this;
        }
        throw new IllegalStateException("@MethodId parameter=" + target + " must be an int");
    }

    @Override
    public Target resolve(
        final TypeDescription instrumentedType,
        final MethodDescription instrumentedMethod,
        final Assigner assigner,
        final Advice.ArgumentHandler argumentHandler,
        final Sort sort)
    {
        final int id = ids.idOf(instrumentedType.getName(), instrumentedMethod.getInternalName(),
            instrumentedMethod.getDescriptor(), instrumentedMethod.getModifiers());
        return Target.ForStackManipulation.of(id);
    }
}
