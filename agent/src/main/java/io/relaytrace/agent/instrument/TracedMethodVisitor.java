package io.relaytrace.agent.instrument;

import io.relaytrace.agent.bootstrap.Tracer;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;

/**
 * Rewrites the code of one traced method so that it reports to {@link Tracer}, with the method's id
 * as a constant:
 * <ul>
 *   <li>{@code Tracer.enter(id)} first, in constructors too (before the {@code super(...)} or
 *       {@code this(...)} call, so a delegating constructor's frame encloses the one it calls);</li>
 *   <li>{@code Tracer.exit(id)} on every normal exit: each return jumps, its value on the stack, to
 *       one exit block after the original code, which calls the tracer and returns the value;</li>
 *   <li>{@code Tracer.exitThrow(id, thrown)} on every exceptional exit: one catch-all handler over
 *       the original code, listed after the method's own handlers so they take precedence, that
 *       records and rethrows. In a constructor it covers only the code after the
 *       {@code super(...)}/{@code this(...)} call (see below): the verifier forbids a handler there
 *       that could see an uninitialised {@code this}, so an exception before it leaves an ENTER with
 *       no exit, which a reader closes when an enclosing frame exits.</li>
 * </ul>
 * Whatever a tracer call itself throws (a {@link StackOverflowError} at the call, a class loader
 * that cannot see the bootstrap class path) is caught and dropped by a handler around that call:
 * the method then runs, returns or rethrows exactly as it would untraced. That handler counts the
 * event it lost ({@link Tracer#callFailures}, see {@link #countCallFailure}) without calling a
 * method, which at the edge of the stack would overflow in turn.
 * <p>
 * Stack map frames are never computed (that could load classes): the inserted code declares full
 * frames built from the descriptor alone. At the start: the method's implicit first frame again
 * (followed by a {@code NOP}, so that a frame the method itself declares at its first instruction
 * gets an offset of its own), which keeps the method's own compressed frames, each relative to the
 * one before, meaning what they meant. After the original code: frames whose locals are unused
 * except one new slot past {@code max_locals} that holds the return value or the exception, which
 * every frame of the original code is assignable to. Class files before version 50 get no frames.
 * <p>
 * Assumes what javac and other compilers emit: a return leaves only its value on the operand stack;
 * in a constructor every {@code NEW} is matched by a later {@code INVOKESPECIAL <init>}, so the
 * first {@code <init>} call with no {@code NEW} pending is the one that initialises {@code this}.
 */
final class TracedMethodVisitor extends MethodVisitor
{
    private static final String TRACER = Tracer.class.getName().replace('.', '/');
    private static final String THROWABLE = "java/lang/Throwable";
    private static final String OBJECT = "java/lang/Object";
    private static final Object[] NONE = {};
    private static final Object[] THROWABLE_ON_STACK = {THROWABLE};

    private final int methodId;
    private final boolean frames;
    private final boolean constructor;
    private final Object[] initialLocals;
    private final Type returnType;
    private final Label bodyStart = new Label();
    private final Label bodyEnd = new Label();
    private final Label exit = new Label();
    private boolean returns;
    private boolean covering;
    private int pendingNews;

    /**
     * @param methodVisitor where the rewritten code goes.
     * @param methodId      the method's trace id.
     * @param owner         internal name of the declaring class.
     * @param access        the method's access flags.
     * @param name          the method's name.
     * @param descriptor    the method's descriptor.
     * @param frames        whether the class file has stack map frames (version 50 or later).
     */
    TracedMethodVisitor(
        final MethodVisitor methodVisitor, final int methodId, final String owner, final int access, final String name,
        final String descriptor, final boolean frames)
    {
        super(Opcodes.ASM9, methodVisitor);
        this.methodId = methodId;
        this.frames = frames;
        this.constructor = "<init>".equals(name);
        this.initialLocals = FrameTypes.initialLocals(owner, (access & Opcodes.ACC_STATIC) != 0, name, descriptor);
        this.returnType = Type.getReturnType(descriptor);
    }

    @Override
    public void visitCode()
    {
        super.visitCode();
        final Label callStart = new Label();
        final Label callEnd = new Label();
        final Label failed = new Label();
        final Label entered = new Label();
        super.visitTryCatchBlock(callStart, callEnd, failed, THROWABLE);
        super.visitLabel(callStart);
        callTracer("enter", "(I)V");
        super.visitLabel(callEnd);
        super.visitJumpInsn(Opcodes.GOTO, entered);
        countCallFailure(failed, initialLocals, entered);
        if (frames)
        {
            super.visitInsn(Opcodes.NOP);
        }
        if (!constructor)
        {
            startCovering();
        }
    }

    @Override
    public void visitTypeInsn(final int opcode, final String type)
    {
        if (opcode == Opcodes.NEW && constructor && !covering)
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
        if (constructor && !covering && opcode == Opcodes.INVOKESPECIAL && "<init>".equals(name))
        {
            if (pendingNews > 0)
            {
                pendingNews--;
            }
            else
            {
                startCovering();
            }
        }
    }

    @Override
    public void visitInsn(final int opcode)
    {
        if (opcode >= Opcodes.IRETURN && opcode <= Opcodes.RETURN)
        {
            returns = true;
            super.visitJumpInsn(Opcodes.GOTO, exit);
            return;
        }
        super.visitInsn(opcode);
    }

    @Override
    public void visitMaxs(final int maxStack, final int maxLocals)
    {
        // The slot past the method's own locals: the return value on the exit path, the exception
        // on the throw path (two slots for a long or double).
        final int slot = maxLocals;
        if (covering)
        {
            super.visitLabel(bodyEnd);
        }
        if (returns)
        {
            exitBlock(slot);
        }
        if (covering)
        {
            throwHandler(slot);
        }
        // Two slots for the held value, one past them for the monitor of countCallFailure (at the
        // start, the slot past the parameters, within the method's own); four stack slots for its
        // long increment.
        super.visitMaxs(Math.max(maxStack, 4), maxLocals + 3);
    }

    private void startCovering()
    {
        covering = true;
        super.visitLabel(bodyStart);
    }

    private void exitBlock(final int slot)
    {
        final Label callStart = new Label();
        final Label callEnd = new Label();
        final Label failed = new Label();
        super.visitTryCatchBlock(callStart, callEnd, failed, THROWABLE);
        super.visitLabel(exit);
        final boolean isVoid = returnType.getSort() == Type.VOID;
        final Object[] heldLocals;
        if (isVoid)
        {
            frame(NONE, NONE);
            heldLocals = NONE;
        }
        else
        {
            final Object result = FrameTypes.of(returnType);
            frame(NONE, new Object[] {result});
            super.visitVarInsn(returnType.getOpcode(Opcodes.ISTORE), slot);
            heldLocals = FrameTypes.with(NONE, slot, result);
        }
        super.visitLabel(callStart);
        callTracer("exit", "(I)V");
        super.visitLabel(callEnd);
        returnHeld(slot, isVoid);
        countCallFailure(failed, heldLocals, new Label());
        returnHeld(slot, isVoid);
    }

    private void returnHeld(final int slot, final boolean isVoid)
    {
        if (!isVoid)
        {
            super.visitVarInsn(returnType.getOpcode(Opcodes.ILOAD), slot);
        }
        super.visitInsn(returnType.getOpcode(Opcodes.IRETURN));
    }

    private void throwHandler(final int slot)
    {
        final Label handler = new Label();
        final Label callStart = new Label();
        final Label callEnd = new Label();
        final Label failed = new Label();
        // Registered after the method's own handlers (all visited by now): they take precedence.
        super.visitTryCatchBlock(bodyStart, bodyEnd, handler, THROWABLE);
        super.visitTryCatchBlock(callStart, callEnd, failed, THROWABLE);
        super.visitLabel(handler);
        frame(NONE, THROWABLE_ON_STACK);
        super.visitVarInsn(Opcodes.ASTORE, slot);
        super.visitLabel(callStart);
        pushMethodId();
        super.visitVarInsn(Opcodes.ALOAD, slot);
        super.visitMethodInsn(Opcodes.INVOKESTATIC, TRACER, "exitThrow", "(ILjava/lang/Throwable;)V", false);
        super.visitLabel(callEnd);
        super.visitVarInsn(Opcodes.ALOAD, slot);
        super.visitInsn(Opcodes.ATHROW);
        countCallFailure(failed, FrameTypes.with(NONE, slot, THROWABLE), new Label());
        super.visitVarInsn(Opcodes.ALOAD, slot);
        super.visitInsn(Opcodes.ATHROW);
    }

    /**
     * The handler of a call into the tracer that threw: drops what it threw and counts the event it
     * lost, {@code Tracer.callFailures++} under {@code Tracer.CALL_FAILURE_LOCK}. No method call (at the edge of the stack it would
     * overflow in turn); a monitor, because it is the only atomic update bytecode can make without
     * one. Laid out as javac lays out a synchronized block (the lock in a local, catch-any handlers
     * that release it, covering themselves), so that the JIT still finds the method's monitors
     * balanced and compiles it. Whatever is thrown while counting (the tracer's class not visible
     * from this class's loader) is dropped. The lock is held in the first slot past {@code locals}.
     *
     * @param failed the handler's label: the tracer call's throwable on the stack, {@code locals} live.
     * @param locals the frame's locals there.
     * @param done   placed here, after the handler, with {@code locals} and an empty stack; the
     *               caller goes on from it.
     */
    private void countCallFailure(final Label failed, final Object[] locals, final Label done)
    {
        super.visitLabel(failed);
        frame(locals, THROWABLE_ON_STACK);
        super.visitInsn(Opcodes.POP);
        final int lockSlot = FrameTypes.slots(locals);
        final Label start = new Label();
        final Label locked = new Label();
        final Label lockedEnd = new Label();
        final Label unlock = new Label();
        final Label unlockEnd = new Label();
        final Label drop = new Label();
        super.visitTryCatchBlock(start, locked, drop, null);
        super.visitTryCatchBlock(locked, lockedEnd, unlock, null);
        super.visitTryCatchBlock(unlock, unlockEnd, unlock, null);
        super.visitLabel(start);
        super.visitFieldInsn(Opcodes.GETSTATIC, TRACER, "CALL_FAILURE_LOCK", "Ljava/lang/Object;");
        super.visitInsn(Opcodes.DUP);
        super.visitVarInsn(Opcodes.ASTORE, lockSlot);
        super.visitInsn(Opcodes.MONITORENTER);
        super.visitLabel(locked);
        super.visitFieldInsn(Opcodes.GETSTATIC, TRACER, "callFailures", "J");
        super.visitInsn(Opcodes.LCONST_1);
        super.visitInsn(Opcodes.LADD);
        super.visitFieldInsn(Opcodes.PUTSTATIC, TRACER, "callFailures", "J");
        super.visitVarInsn(Opcodes.ALOAD, lockSlot);
        super.visitInsn(Opcodes.MONITOREXIT);
        super.visitLabel(lockedEnd);
        super.visitJumpInsn(Opcodes.GOTO, done);
        super.visitLabel(unlock);
        frame(FrameTypes.with(locals, lockSlot, OBJECT), THROWABLE_ON_STACK);
        super.visitVarInsn(Opcodes.ALOAD, lockSlot);
        super.visitInsn(Opcodes.MONITOREXIT);
        super.visitLabel(unlockEnd);
        super.visitInsn(Opcodes.POP);
        super.visitJumpInsn(Opcodes.GOTO, done);
        super.visitLabel(drop);
        frame(locals, THROWABLE_ON_STACK);
        super.visitInsn(Opcodes.POP);
        super.visitLabel(done);
        frame(locals, NONE);
    }

    private void callTracer(final String name, final String descriptor)
    {
        pushMethodId();
        super.visitMethodInsn(Opcodes.INVOKESTATIC, TRACER, name, descriptor, false);
    }

    private void pushMethodId()
    {
        if (methodId >= -1 && methodId <= 5)
        {
            super.visitInsn(Opcodes.ICONST_0 + methodId);
        }
        else if (methodId >= Byte.MIN_VALUE && methodId <= Byte.MAX_VALUE)
        {
            super.visitIntInsn(Opcodes.BIPUSH, methodId);
        }
        else if (methodId >= Short.MIN_VALUE && methodId <= Short.MAX_VALUE)
        {
            super.visitIntInsn(Opcodes.SIPUSH, methodId);
        }
        else
        {
            super.visitLdcInsn(methodId);
        }
    }

    /** A full frame: the class reader delivers the method's own frames compressed, and full ones mix with those. */
    private void frame(final Object[] locals, final Object[] stack)
    {
        if (frames)
        {
            super.visitFrame(Opcodes.F_FULL, locals.length, locals, stack.length, stack);
        }
    }
}
