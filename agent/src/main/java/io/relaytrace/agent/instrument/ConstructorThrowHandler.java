package io.relaytrace.agent.instrument;

import io.relaytrace.agent.bootstrap.Tracer;
import net.bytebuddy.ClassFileVersion;
import net.bytebuddy.asm.AsmVisitorWrapper;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.implementation.Implementation;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.Label;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;
import net.bytebuddy.pool.TypePool;

/**
 * Records a THROW when a traced constructor exits by an exception, which Byte Buddy's advice cannot
 * do for constructors. Adds one exception handler to each traced constructor, covering everything
 * after its {@code super(...)} or {@code this(...)} call, that calls {@link Tracer#exitThrow} and
 * rethrows. Code before that call (argument evaluation, JDK 25's statements before {@code super})
 * stays uncovered: the verifier forbids a handler there that could see an uninitialised
 * {@code this}, so an exception there leaves an ENTER with no exit, which a reader closes when an
 * enclosing frame exits.
 * <p>
 * Finding the call: walking the code in order, every {@code NEW} is matched by a later
 * {@code INVOKESPECIAL <init>}; the first {@code <init>} call with no {@code NEW} pending
 * initialises {@code this}. True of the code javac and other compilers emit, where the
 * {@code NEW}/{@code <init>} pairs of argument expressions nest and each branch of a conditional
 * is balanced.
 * <p>
 * Applied after the advice (innermost), so it sees the advice's code and its exit block lies inside
 * the covered range; the handler's frame declares no locals, which every frame after the call is
 * assignable to. Classes older than Java 7 are left alone (their frames are optional or absent).
 */
final class ConstructorThrowHandler implements AsmVisitorWrapper.ForDeclaredMethods.MethodVisitorWrapper
{
    private static final String TRACER = Tracer.class.getName().replace('.', '/');
    private static final String THROWABLE = "java/lang/Throwable";

    private final MethodIds ids;

    ConstructorThrowHandler(final MethodIds ids)
    {
        this.ids = ids;
    }

    @Override
    public MethodVisitor wrap(
        final TypeDescription instrumentedType,
        final MethodDescription instrumentedMethod,
        final MethodVisitor methodVisitor,
        final Implementation.Context implementationContext,
        final TypePool typePool,
        final int writerFlags,
        final int readerFlags)
    {
        if (!implementationContext.getClassFileVersion().isAtLeast(ClassFileVersion.JAVA_V7))
        {
            return methodVisitor;
        }
        final int methodId = ids.idOf(instrumentedType.getName(), instrumentedMethod.getInternalName(),
            instrumentedMethod.getDescriptor(), instrumentedMethod.getModifiers());
        // Frames must all be expanded or all compressed, as the class reader delivers them.
        final int frameType = (readerFlags & ClassReader.EXPAND_FRAMES) != 0 ? Opcodes.F_NEW : Opcodes.F_FULL;
        return new HandlerVisitor(methodVisitor, methodId, frameType);
    }

    private static final class HandlerVisitor extends MethodVisitor
    {
        private final int methodId;
        private final int frameType;
        private final Label start = new Label();
        private final Label end = new Label();
        private final Label handler = new Label();
        private int pendingNews;
        private boolean covering;

        HandlerVisitor(final MethodVisitor methodVisitor, final int methodId, final int frameType)
        {
            super(Opcodes.ASM9, methodVisitor);
            this.methodId = methodId;
            this.frameType = frameType;
        }

        @Override
        public void visitTypeInsn(final int opcode, final String type)
        {
            if (opcode == Opcodes.NEW && !covering)
            {
                pendingNews++;
            }
            super.visitTypeInsn(opcode, type);
        }

        @Override
        public void visitMethodInsn(
            final int opcode, final String owner, final String name, final String descriptor, final boolean isInterface)
        {
            super.visitMethodInsn(opcode, owner, name, descriptor, isInterface);
            if (opcode == Opcodes.INVOKESPECIAL && "<init>".equals(name) && !covering)
            {
                if (pendingNews > 0)
                {
                    pendingNews--;
                }
                else
                {
                    covering = true;
                    // Registered last, so the constructor's own handlers, listed before it, take precedence.
                    super.visitTryCatchBlock(start, end, handler, THROWABLE);
                    super.visitLabel(start);
                }
            }
        }

        @Override
        public void visitMaxs(final int maxStack, final int maxLocals)
        {
            if (!covering)
            {
                super.visitMaxs(maxStack, maxLocals);
                return;
            }
            super.visitLabel(end);
            super.visitLabel(handler);
            super.visitFrame(frameType, 0, new Object[0], 1, new Object[] {THROWABLE});
            super.visitInsn(Opcodes.DUP);
            super.visitLdcInsn(methodId);
            super.visitInsn(Opcodes.SWAP);
            super.visitMethodInsn(Opcodes.INVOKESTATIC, TRACER, "exitThrow", "(ILjava/lang/Throwable;)V", false);
            super.visitInsn(Opcodes.ATHROW);
            super.visitMaxs(Math.max(maxStack, 3), maxLocals);
        }
    }
}
