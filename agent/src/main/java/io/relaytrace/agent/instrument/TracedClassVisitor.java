package io.relaytrace.agent.instrument;

import io.relaytrace.agent.config.AgentOptions;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * Rewrites one class file: every method {@link TracedMethods} selects gets its trace id (and its
 * METHOD_DEF written, before the class can run) and the code {@link TracedMethodVisitor} adds. The
 * class keeps its shape (no member, flag or attribute added or removed), so it can be retransformed
 * and later restored. Methods left alone are copied as they are, without being decoded.
 * <p>
 * Example: {@code TracedClassVisitor.rewrite(bytes, "com.acme.Cart", options, ids)} returns the
 * instrumented class file, or null if nothing in it is traced.
 */
final class TracedClassVisitor extends ClassVisitor
{
    /** ASM's access flags carry pseudo flags (deprecated, record) above the class file's 16 bits. */
    private static final int CLASS_FILE_FLAGS = 0xFFFF;
    private static final int FIRST_VERSION_WITH_FRAMES = Opcodes.V1_6;

    private final AgentOptions options;
    private final MethodIds ids;
    private final String className;
    private String owner;
    private boolean frames;
    private boolean changed;

    private TracedClassVisitor(
        final ClassVisitor classVisitor, final AgentOptions options, final MethodIds ids, final String className)
    {
        super(Opcodes.ASM9, classVisitor);
        this.options = options;
        this.ids = ids;
        this.className = className;
    }

    /**
     * @param classFile the class file as the JVM has it.
     * @param className its binary name with dots.
     * @param options   which methods to trace.
     * @param ids       where method ids come from.
     * @return the instrumented class file, or null if the class or none of its methods is traced.
     * @throws RuntimeException if the class file cannot be read or the result cannot be written
     *                          (unsupported version, code too large).
     */
    static byte[] rewrite(final byte[] classFile, final String className, final AgentOptions options, final MethodIds ids)
    {
        final ClassReader reader = new ClassReader(classFile);
        if (!TracedTypes.tracesAccess(reader.getAccess()))
        {
            return null;
        }
        final ClassWriter writer = new ClassWriter(reader, 0);
        final TracedClassVisitor visitor = new TracedClassVisitor(writer, options, ids, className);
        reader.accept(visitor, 0);
        return visitor.changed ? writer.toByteArray() : null;
    }

    @Override
    public void visit(
        final int version, final int access, final String name, final String signature, final String superName,
        final String[] interfaces)
    {
        owner = name;
        // The major version is in the low 16 bits, the minor in the high ones.
        frames = (version & 0xFFFF) >= FIRST_VERSION_WITH_FRAMES;
        super.visit(version, access, name, signature, superName, interfaces);
    }

    @Override
    public MethodVisitor visitMethod(
        final int access, final String name, final String descriptor, final String signature, final String[] exceptions)
    {
        final MethodVisitor methodVisitor = super.visitMethod(access, name, descriptor, signature, exceptions);
        if (methodVisitor == null || !TracedMethods.traces(options, className, name, access))
        {
            return methodVisitor;
        }
        changed = true;
        final int methodId = ids.idOf(className, name, descriptor, access & CLASS_FILE_FLAGS);
        return new TracedMethodVisitor(methodVisitor, methodId, owner, access, name, descriptor, frames);
    }
}
