package org.osprey.nodes.expression;

import com.oracle.truffle.api.CompilerDirectives;
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

        public Concat(OspreyNode left, OspreyNode right) {
            this.left = left;
            this.right = right;
        }

        @Override
        public Object executeGeneric(VirtualFrame frame) {
            TruffleString a = (TruffleString) left.executeGeneric(frame);
            TruffleString b = (TruffleString) right.executeGeneric(frame);
            checkSize((long) a.byteLength(Strings.ENCODING) + b.byteLength(Strings.ENCODING), this);
            return Strings.concat(a, b);
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
        private final Rep rep;

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

    /** {@code "a ${x} b"}: each part is a string node (literal or ToDisplay). */
    public static final class Interpolation extends OspreyNode {
        @Children private final OspreyNode[] parts;

        public Interpolation(OspreyNode[] parts) {
            this.parts = parts;
        }

        @Override
        @ExplodeLoop
        public Object executeGeneric(VirtualFrame frame) {
            TruffleString[] values = new TruffleString[parts.length];
            for (int i = 0; i < parts.length; i++) {
                values[i] = (TruffleString) parts[i].executeGeneric(frame);
            }
            return join(values, this);
        }

        @TruffleBoundary
        private static TruffleString join(TruffleString[] values, OspreyNode at) {
            TruffleStringBuilder sb = TruffleStringBuilder.create(Strings.ENCODING);
            long bytes = 0;
            for (TruffleString part : values) {
                bytes += part.byteLength(Strings.ENCODING);
                checkSize(bytes, at);
                sb.appendStringUncached(part);
            }
            return sb.toStringUncached();
        }
    }
}
