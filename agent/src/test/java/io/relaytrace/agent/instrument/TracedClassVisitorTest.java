package io.relaytrace.agent.instrument;

import com.acme.shapes.Bytecode;
import io.relaytrace.agent.config.AgentOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.FieldVisitor;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import static io.relaytrace.agent.instrument.TraceProbe.methodIds;
import static io.relaytrace.agent.instrument.TraceProbe.types;
import static io.relaytrace.event.EventDescriptor.ENTER;
import static io.relaytrace.event.EventDescriptor.EXIT;
import static io.relaytrace.event.EventDescriptor.THREAD;
import static io.relaytrace.event.EventDescriptor.THROW;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Classes rewritten by {@link TracedClassVisitor}, defined and run in this JVM (so the JVM's verifier
 * checks the code) against a real recorder: the events, in order, of methods of every shape, the
 * class's shape unchanged, class files without stack map frames, and the classes left alone.
 */
class TracedClassVisitorTest
{
    private static final AgentOptions ACME = TraceProbe.options("include=com.acme.**");
    private static final String BYTECODE = Bytecode.class.getName();

    private TraceProbe probe;

    @BeforeEach
    void open() throws IOException
    {
        probe = new TraceProbe();
    }

    @AfterEach
    void close()
    {
        probe.close();
    }

    @Test
    void methodsOfEveryShapeRecordEnterThenExitOrThrow() throws Exception
    {
        final Class<?> type = TraceProbe.define(BYTECODE,
            TracedClassVisitor.rewrite(TraceProbe.classFile(Bytecode.class), BYTECODE, ACME, probe.ids));

        assertRunsAsUntraced(type);

        final int init = id("<init>", "()V", Opcodes.ACC_PUBLIC);
        final int initLong = id("<init>", "(J)V", Opcodes.ACC_PUBLIC);
        final int countDown = id("countDown", "(I)I", Opcodes.ACC_PUBLIC | Opcodes.ACC_STATIC);
        final int twice = id("twice", "()J", Opcodes.ACC_PUBLIC);
        final int half = id("half", "(D)D", Opcodes.ACC_PUBLIC | Opcodes.ACC_STATIC);
        final int pair = id("pair", "(II)[I", Opcodes.ACC_PUBLIC | Opcodes.ACC_STATIC);
        final int caught = id("caught", "(Ljava/lang/String;)Ljava/lang/String;", Opcodes.ACC_PUBLIC | Opcodes.ACC_STATIC);
        final int throwsThroughFinally = id("throwsThroughFinally", "(Ljava/lang/StringBuilder;)V",
            Opcodes.ACC_PUBLIC | Opcodes.ACC_STATIC);
        final int locked = id("locked", "()Z", Opcodes.ACC_PUBLIC | Opcodes.ACC_SYNCHRONIZED);

        final List<ByteBuffer> events = probe.events();
        assertEquals(THREAD, types(events).get(0));
        final List<ByteBuffer> calls = events.subList(1, events.size());
        assertEquals(List.of(
            ENTER, ENTER, EXIT, EXIT,
            ENTER, EXIT, ENTER, EXIT, ENTER, EXIT, ENTER, EXIT, ENTER, EXIT, ENTER, EXIT,
            ENTER, THROW,
            ENTER, EXIT,
            ENTER, THROW), types(calls));
        assertEquals(List.of(
            init, initLong, initLong, init,
            countDown, countDown, twice, twice, half, half, pair, pair, caught, caught, caught, caught,
            throwsThroughFinally, throwsThroughFinally,
            locked, locked,
            initLong, initLong), methodIds(calls));
    }

    /**
     * Where the tracer cannot be reached (here, a loader that cannot see it: every call to it throws
     * NoClassDefFoundError), the methods run exactly as untraced: same results, same exceptions.
     */
    @Test
    void tracerCallsThatFailChangeNothingForTheApplication() throws Exception
    {
        final Class<?> type = TraceProbe.define(BYTECODE,
            TracedClassVisitor.rewrite(TraceProbe.classFile(Bytecode.class), BYTECODE, ACME, probe.ids),
            ClassLoader.getPlatformClassLoader());
        assertThrows(ClassNotFoundException.class,
            () -> Class.forName(io.relaytrace.agent.bootstrap.Tracer.class.getName(), false, type.getClassLoader()));

        assertRunsAsUntraced(type);
        assertEquals(List.of(), probe.events(), "nothing recorded");
    }

    @Test
    void classKeepsItsShape() throws Exception
    {
        final byte[] original = TraceProbe.classFile(Bytecode.class);
        final byte[] rewritten = TracedClassVisitor.rewrite(original, BYTECODE, ACME, probe.ids);
        assertEquals(shape(original), shape(rewritten));
        assertTrue(shape(original).size() > 10, "the shape lists the members");
    }

    @Test
    void classFilesBeforeVersion50GetNoFrames() throws Exception
    {
        final String name = "com.acme.shapes.Old";
        final byte[] rewritten = TracedClassVisitor.rewrite(oldClass(name), name, ACME, probe.ids);
        assertEquals(0, frames(rewritten));

        final Class<?> type = TraceProbe.define(name, rewritten);
        assertEquals(7, type.getMethod("check", int.class).invoke(null, 7));
        final InvocationTargetException thrown = assertThrows(InvocationTargetException.class,
            () -> type.getMethod("check", int.class).invoke(null, -1));
        assertInstanceOf(IllegalArgumentException.class, thrown.getCause());

        final int check = probe.ids.idOf(name, "check", "(I)I", Opcodes.ACC_PUBLIC | Opcodes.ACC_STATIC);
        final List<ByteBuffer> calls = probe.events().subList(1, 5);
        assertEquals(List.of(ENTER, EXIT, ENTER, THROW), types(calls));
        assertEquals(List.of(check, check, check, check), methodIds(calls));
    }

    @Test
    void annotationsSyntheticClassesAndClassesWithNothingTracedAreLeftAlone()
    {
        final byte[] bytecode = TraceProbe.classFile(Bytecode.class);
        assertNull(TracedClassVisitor.rewrite(bytecode, BYTECODE, TraceProbe.options("include=com.acme.Other"), probe.ids));
        assertNull(TracedClassVisitor.rewrite(bytecode, BYTECODE, TraceProbe.options("include=com.acme.**::nothing"),
            probe.ids));
        assertNull(TracedClassVisitor.rewrite(TraceProbe.classFile(Bytecode.class), BYTECODE,
            TraceProbe.options("include=com.acme.**,exclude=com.acme.shapes.**"), probe.ids));
        final String synthetic = "com.acme.shapes.Synthetic";
        assertNull(TracedClassVisitor.rewrite(generated(synthetic, Opcodes.V17, Opcodes.ACC_PUBLIC | Opcodes.ACC_SYNTHETIC),
            synthetic, ACME, probe.ids));
        assertEquals(List.of(), probe.definitions(), "no method defined");
    }

    private int id(final String method, final String descriptor, final int access)
    {
        return probe.ids.idOf(BYTECODE, method, descriptor, access);
    }

    /** The class file's declarations: version, flags, names, members; not the code. */
    private static List<String> shape(final byte[] classFile)
    {
        final List<String> shape = new ArrayList<>();
        new ClassReader(classFile).accept(new ClassVisitor(Opcodes.ASM9)
        {
            @Override
            public void visit(
                final int version, final int access, final String name, final String signature, final String superName,
                final String[] interfaces)
            {
                shape.add("class " + version + " " + access + " " + name + " " + signature + " " + superName + " " +
                    List.of(interfaces));
            }

            @Override
            public void visitInnerClass(final String name, final String outerName, final String innerName, final int access)
            {
                shape.add("inner " + name + " " + access);
            }

            @Override
            public FieldVisitor visitField(
                final int access, final String name, final String descriptor, final String signature, final Object value)
            {
                shape.add("field " + access + " " + name + descriptor + " " + value);
                return null;
            }

            @Override
            public MethodVisitor visitMethod(
                final int access, final String name, final String descriptor, final String signature, final String[] exceptions)
            {
                shape.add("method " + access + " " + name + descriptor + " " + signature + " " +
                    (exceptions == null ? null : List.of(exceptions)));
                return null;
            }
        }, ClassReader.SKIP_CODE);
        return shape;
    }

    private static int frames(final byte[] classFile)
    {
        final int[] frames = new int[1];
        new ClassReader(classFile).accept(new ClassVisitor(Opcodes.ASM9)
        {
            @Override
            public MethodVisitor visitMethod(
                final int access, final String name, final String descriptor, final String signature, final String[] exceptions)
            {
                return new MethodVisitor(Opcodes.ASM9)
                {
                    @Override
                    public void visitFrame(
                        final int type, final int numLocal, final Object[] local, final int numStack, final Object[] stack)
                    {
                        frames[0]++;
                    }
                };
            }
        }, 0);
        return frames[0];
    }

    /**
     * A Java 1.4 class file (version 48, no stack map frames): a constructor and
     * {@code static int check(int x) { if (x < 0) throw new IllegalArgumentException(); return x; }}.
     */
    private static byte[] oldClass(final String name)
    {
        return generated(name, Opcodes.V1_4, Opcodes.ACC_PUBLIC | Opcodes.ACC_SUPER);
    }

    private static byte[] generated(final String name, final int version, final int access)
    {
        final ClassWriter writer = new ClassWriter(ClassWriter.COMPUTE_MAXS);
        writer.visit(version, access, name.replace('.', '/'), null, "java/lang/Object", null);
        final MethodVisitor init = writer.visitMethod(Opcodes.ACC_PUBLIC, "<init>", "()V", null, null);
        init.visitCode();
        init.visitVarInsn(Opcodes.ALOAD, 0);
        init.visitMethodInsn(Opcodes.INVOKESPECIAL, "java/lang/Object", "<init>", "()V", false);
        init.visitInsn(Opcodes.RETURN);
        init.visitMaxs(0, 0);
        init.visitEnd();
        final MethodVisitor check = writer.visitMethod(Opcodes.ACC_PUBLIC | Opcodes.ACC_STATIC, "check", "(I)I", null, null);
        check.visitCode();
        final Label valid = new Label();
        check.visitVarInsn(Opcodes.ILOAD, 0);
        check.visitJumpInsn(Opcodes.IFGE, valid);
        check.visitTypeInsn(Opcodes.NEW, "java/lang/IllegalArgumentException");
        check.visitInsn(Opcodes.DUP);
        check.visitMethodInsn(Opcodes.INVOKESPECIAL, "java/lang/IllegalArgumentException", "<init>", "()V", false);
        check.visitInsn(Opcodes.ATHROW);
        check.visitLabel(valid);
        if (version >= Opcodes.V1_6)
        {
            check.visitFrame(Opcodes.F_SAME, 0, null, 0, null);
        }
        check.visitVarInsn(Opcodes.ILOAD, 0);
        check.visitInsn(Opcodes.IRETURN);
        check.visitMaxs(0, 0);
        check.visitEnd();
        writer.visitEnd();
        return writer.toByteArray();
    }

    /**
     * Calls every method of {@link Bytecode} (in this order: {@code <init>()}, {@code countDown},
     * {@code twice}, {@code half}, {@code pair}, {@code caught} twice, {@code throwsThroughFinally},
     * {@code locked}, {@code <init>(long)} refused) and checks each does what it does untraced.
     */
    private static void assertRunsAsUntraced(final Class<?> type) throws Exception
    {
        final Object instance = type.getConstructor().newInstance();
        assertEquals(0, type.getMethod("countDown", int.class).invoke(null, 3));
        assertEquals(4L, type.getMethod("twice").invoke(instance));
        assertEquals(1.5, type.getMethod("half", double.class).invoke(null, 3.0));
        assertArrayEquals(new int[] {1, 2}, (int[])type.getMethod("pair", int.class, int.class).invoke(null, 1, 2));
        assertEquals("a", type.getMethod("caught", String.class).invoke(null, " a "));
        assertEquals("null", type.getMethod("caught", String.class).invoke(null, (Object)null));
        final StringBuilder log = new StringBuilder();
        final InvocationTargetException thrown = assertThrows(InvocationTargetException.class,
            () -> type.getMethod("throwsThroughFinally", StringBuilder.class).invoke(null, log));
        assertInstanceOf(IllegalStateException.class, thrown.getCause());
        assertEquals("boom", thrown.getCause().getMessage());
        assertEquals("finally", log.toString());
        assertEquals(true, type.getMethod("locked").invoke(instance));
        final InvocationTargetException refused = assertThrows(InvocationTargetException.class,
            () -> type.getConstructor(long.class).newInstance(-1L));
        assertInstanceOf(IllegalArgumentException.class, refused.getCause());
    }
}
