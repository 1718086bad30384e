package org.osprey.nodes.expression;

import com.oracle.truffle.api.CompilerDirectives;
import com.oracle.truffle.api.CompilerDirectives.CompilationFinal;
import com.oracle.truffle.api.CompilerDirectives.TruffleBoundary;
import com.oracle.truffle.api.frame.VirtualFrame;
import com.oracle.truffle.api.nodes.ExplodeLoop;
import com.oracle.truffle.api.strings.TruffleString;
import com.oracle.truffle.api.strings.TruffleStringBuilder;

import org.osprey.nodes.OspreyNode;
import org.osprey.nodes.Rep;
import org.osprey.runtime.Display;
import org.osprey.runtime.OspreyError;
import org.osprey.runtime.Strings;

/** String concatenation and interpolation (spec 0006, spec 0012 "Concatenation Operator"). */
public final class StringNodes {
    private StringNodes() {
    }

    /** {@code a + b} on strings: TruffleString's lazy concatenation keeps repeated appends linear. */
    public static final class Concat extends OspreyNode {
        @Child private OspreyNode left;
        @Child private OspreyNode right;
        @Child private TruffleString.ConcatNode concat = TruffleString.ConcatNode.create();

        public Concat(OspreyNode left, OspreyNode right) {
            this.left = left;
            this.right = right;
        }

        @Override
        public Object executeGeneric(VirtualFrame frame) {
            TruffleString a = (TruffleString) left.executeGeneric(frame);
            TruffleString b = (TruffleString) right.executeGeneric(frame);
            checkSize((long) a.byteLength(Strings.ENCODING) + b.byteLength(Strings.ENCODING), this);
            return concat.execute(a, b, Strings.ENCODING, true);
        }
    }

    /** {@code length(s)}: code points, counted once per string by TruffleString and kept in it. */
    public static final class Length extends OspreyNode {
        @Child private OspreyNode string;
        @Child private TruffleString.CodePointLengthNode codePoints = TruffleString.CodePointLengthNode.create();

        public Length(OspreyNode string) {
            this.string = string;
        }

        @Override
        public long executeLong(VirtualFrame frame) {
            return codePoints.execute((TruffleString) string.executeGeneric(frame), Strings.ENCODING);
        }

        @Override
        public Object executeGeneric(VirtualFrame frame) {
            return executeLong(frame);
        }
    }

    static void checkSize(long bytes, OspreyNode at) {
        if (bytes > Strings.MAX_BYTES) {
            CompilerDirectives.transferToInterpreter();
            throw new OspreyError("string too large: the result would be " + bytes + " bytes, more than the limit of "
                            + Strings.MAX_BYTES + " bytes (1 GiB)", at);
        }
    }

    /** A value as text, the way print and toString show it. */
    public static final class ToDisplay extends OspreyNode {
        @Child private OspreyNode value;
        final Rep rep;

        public ToDisplay(OspreyNode value, Rep rep) {
            this.value = value;
            this.rep = rep;
        }

        @Override
        public Object executeGeneric(VirtualFrame frame) {
            switch (rep) {
                case LONG:
                    return Strings.fromLong(value.executeLong(frame));
                case BOOLEAN:
                    return value.executeBoolean(frame) ? TRUE : FALSE;
                default:
                    Object v = value.executeGeneric(frame);
                    if (v instanceof TruffleString s) {
                        return s;
                    }
                    return show(v);
            }
        }

        @TruffleBoundary
        private static TruffleString show(Object v) {
            return Strings.of(Display.show(v));
        }

        private static final TruffleString TRUE = Strings.of("true");
        private static final TruffleString FALSE = Strings.of("false");
    }

    /**
     * {@code "a ${x} b"}. Each part is a string node (a literal or a {@link ToDisplay}), except that an {@code int}
     * part is read as a number and written into the result as digits, with no string of its own. The parts are
     * evaluated first, so that the result is gathered in an array of exactly its size, which becomes the string's
     * storage without a copy.
     */
    public static final class Interpolation extends OspreyNode {
        @Children private final OspreyNode[] parts;
        /** Whether part i is an {@code int} read with executeLong (the value node of a ToDisplay of rep LONG). */
        @CompilationFinal(dimensions = 1) private final boolean[] ints;
        private final boolean anyInts;
        @Children private final TruffleStringBuilder.AppendStringNode[] appendString;
        @Child private TruffleStringBuilder.AppendLongNumberNode appendLong;
        @Child private TruffleStringBuilder.ToStringNode toText = TruffleStringBuilder.ToStringNode.create();

        public Interpolation(OspreyNode[] parts) {
            this.parts = new OspreyNode[parts.length];
            this.ints = new boolean[parts.length];
            this.appendString = new TruffleStringBuilder.AppendStringNode[parts.length];
            boolean any = false;
            for (int i = 0; i < parts.length; i++) {
                if (parts[i] instanceof ToDisplay d && d.rep == Rep.LONG) {
                    this.parts[i] = d.value;
                    ints[i] = true;
                    any = true;
                } else {
                    this.parts[i] = parts[i];
                    appendString[i] = TruffleStringBuilder.AppendStringNode.create();
                }
            }
            this.anyInts = any;
            this.appendLong = any ? TruffleStringBuilder.AppendLongNumberNode.create() : null;
        }

        @Override
        @ExplodeLoop
        public Object executeGeneric(VirtualFrame frame) {
            TruffleString[] strings = new TruffleString[parts.length];
            long[] numbers = anyInts ? new long[parts.length] : null;
            long bytes = 0;
            for (int i = 0; i < parts.length; i++) {
                if (ints[i]) {
                    long n = parts[i].executeLong(frame);
                    numbers[i] = n;
                    bytes += Strings.decimalLength(n);
                } else {
                    TruffleString s = (TruffleString) parts[i].executeGeneric(frame);
                    strings[i] = s;
                    bytes += s.byteLength(Strings.ENCODING);
                }
            }
            checkSize(bytes, this);
            TruffleStringBuilder sb = TruffleStringBuilder.createUTF8((int) bytes);
            for (int i = 0; i < parts.length; i++) {
                if (ints[i]) {
                    appendLong.execute(sb, numbers[i]);
                } else {
                    appendString[i].execute(sb, strings[i]);
                }
            }
            return toText.execute(sb, false);
        }
    }
}
