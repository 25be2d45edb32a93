package io.relaytrace.agent.instrument;

import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;

import java.util.Arrays;

/**
 * Stack map frame entries, in ASM's notation, for what the inserted code declares: the locals a
 * method starts with and the type of its return value. Derived from descriptors alone, so no class
 * is ever loaded to build them.
 */
final class FrameTypes
{
    private FrameTypes()
    {
    }

    /**
     * @param owner      internal name of the declaring class.
     * @param isStatic   whether the method is static.
     * @param name       the method's name ({@code <init>} starts with an uninitialised {@code this}).
     * @param descriptor the method's descriptor.
     * @return the locals of the method's implicit first frame: {@code this} unless static, then the parameters.
     */
    static Object[] initialLocals(final String owner, final boolean isStatic, final String name, final String descriptor)
    {
        final Type[] parameters = Type.getArgumentTypes(descriptor);
        final int first = isStatic ? 0 : 1;
        final Object[] locals = new Object[first + parameters.length];
        if (!isStatic)
        {
            locals[0] = "<init>".equals(name) ? Opcodes.UNINITIALIZED_THIS : owner;
        }
        for (int i = 0; i < parameters.length; i++)
        {
            locals[first + i] = of(parameters[i]);
        }
        return locals;
    }

    /**
     * @param type a field type (not void).
     * @return its verification type: int-like types are {@link Opcodes#INTEGER}, references their internal name.
     */
    static Object of(final Type type)
    {
        switch (type.getSort())
        {
            case Type.BOOLEAN:
            case Type.CHAR:
            case Type.BYTE:
            case Type.SHORT:
            case Type.INT:
                return Opcodes.INTEGER;
            case Type.FLOAT:
                return Opcodes.FLOAT;
            case Type.LONG:
                return Opcodes.LONG;
            case Type.DOUBLE:
                return Opcodes.DOUBLE;
            case Type.ARRAY:
                return type.getDescriptor();
            case Type.OBJECT:
                return type.getInternalName();
            default:
                throw new IllegalArgumentException("type=" + type + " has no verification type; expected a field type");
        }
    }

    /**
     * @param locals a frame's locals ({@link Opcodes#LONG} and {@link Opcodes#DOUBLE} take two slots).
     * @return the local slots they take.
     */
    static int slots(final Object[] locals)
    {
        int slots = 0;
        for (final Object local : locals)
        {
            slots += local == Opcodes.LONG || local == Opcodes.DOUBLE ? 2 : 1;
        }
        return slots;
    }

    /**
     * @param locals a frame's locals.
     * @param slot   a slot at or past those they take.
     * @param type   the type of the local to add there.
     * @return {@code locals}, unused slots up to {@code slot}, then {@code type}.
     */
    static Object[] with(final Object[] locals, final int slot, final Object type)
    {
        final int used = slots(locals);
        if (slot < used)
        {
            throw new IllegalArgumentException("slot=" + slot + " is taken by locals of " + used + " slots");
        }
        final Object[] more = Arrays.copyOf(locals, locals.length + slot - used + 1);
        Arrays.fill(more, locals.length, more.length - 1, Opcodes.TOP);
        more[more.length - 1] = type;
        return more;
    }
}
