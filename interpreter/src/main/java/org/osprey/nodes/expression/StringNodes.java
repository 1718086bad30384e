package org.osprey.nodes.expression;

import com.oracle.truffle.api.CompilerDirectives;
import com.oracle.truffle.api.CompilerDirectives.CompilationFinal;
import com.oracle.truffle.api.CompilerDirectives.TruffleBoundary;
import com.oracle.truffle.api.frame.VirtualFrame;
import com.oracle.truffle.api.nodes.ExplodeLoop;
import com.oracle.truffle.api.nodes.RootNode;
import com.oracle.truffle.api.strings.InternalByteArray;
import com.oracle.truffle.api.strings.TruffleString;
import com.oracle.truffle.api.strings.TruffleStringBuilder;

import org.osprey.builtins.Intrinsics;
import org.osprey.nodes.OspreyNode;
import org.osprey.nodes.Rep;
import org.osprey.nodes.call.Arguments;
import org.osprey.runtime.Display;
import org.osprey.runtime.OspreyError;
import org.osprey.runtime.Strings;

/** String concatenation and interpolation (spec 0006, spec 0012 "Concatenation Operator"). */
public final class StringNodes {
    private StringNodes() {
    }

    /** {@code a + b} on strings: TruffleString's lazy concatenation, or {@link Chain}'s append in place. */
    public static final class Concat extends OspreyNode {
        @Child private OspreyNode left;
        @Child private OspreyNode right;
        @Child private TruffleString.ConcatNode concat = TruffleString.ConcatNode.create();
        @Child private TruffleStringBuilder.AppendStringNode append = TruffleStringBuilder.AppendStringNode.create();
        @Child private TruffleStringBuilder.ToStringNode toText = TruffleStringBuilder.ToStringNode.create();
        @Child private TruffleString.GetInternalByteArrayNode bytesOf = TruffleString.GetInternalByteArrayNode.create();
        /** What this site made last, if it was large; read and replaced without a lock (see Chain). */
        private Chain chain;

        public Concat(OspreyNode left, OspreyNode right) {
            this.left = left;
            this.right = right;
        }

        @Override
        public Object executeGeneric(VirtualFrame frame) {
            TruffleString a = (TruffleString) left.executeGeneric(frame);
            TruffleString b = (TruffleString) right.executeGeneric(frame);
            long bytes = (long) a.byteLength(Strings.ENCODING) + b.byteLength(Strings.ENCODING);
            checkSize(bytes, this);
            if (bytes < Chain.FROM || bytes > Chain.UNTIL) {
                return concat.execute(a, b, Strings.ENCODING, true);
            }
            Chain c = chain;
            if (c != null && c.extendedBy(a, bytesOf)) {
                TruffleStringBuilder sb = c.builder(a);
                append.execute(sb, b);
                return c.made(toText.execute(sb, true), bytesOf);
            }
            TruffleString result = concat.execute(a, b, Strings.ENCODING, true);
            chain = new Chain(result);
            return result;
        }
    }

    /**
     * What a site that makes large strings (1 KiB to 64 MiB: {@code s = s + piece} in a loop, or an
     * interpolation that starts with {@code ${s}}) keeps to append in place. A lazy concatenation is O(1),
     * but a search, a comparison or a print flattens it with a copy of the whole string, so a loop that
     * appends and then looks at the text so far (endsWith) was quadratic: 40,000 appends and endsWith took
     * 4.7 s. When a site is handed back the string it made last, it appends to a builder that holds that
     * string's bytes with spare capacity behind them: the strings it made view the prefix they cover, which
     * later appends never touch (a string extended twice from the same point is not the builder's whole
     * content the second time and is concatenated lazily). So each step costs its piece, as CPython's
     * in-place append does.
     * <p>
     * Only the thread that made the chain appends to its builder; another thread of the context (a fiber, a
     * WebSocket or HTTP handler) that meets the chain's string concatenates lazily and starts a chain of its
     * own, so no lock is needed even if threads took turns in the middle of a step. (Contexts do not share
     * nodes: the language's context policy is exclusive.) A site keeps its last large result, and the
     * builder's spare capacity, until it runs again.
     */
    static final class Chain {
        /** From this size on a site's results are remembered; below it a copy costs less than the bookkeeping. */
        static final int FROM = 1024;
        /**
         * Up to this size a site extends its strings in place. A larger one is concatenated lazily, as before
         * chains: starting a builder copies the string into an array with room to grow, and a site keeps its
         * builder, so a string of hundreds of MB would need twice its memory or more where it needed its own
         * (300 MB + "b" three times ran out of a 1 GB heap).
         */
        static final int UNTIL = 64 << 20;

        private final Thread owner = Thread.currentThread();
        /** The site's last result while it is a lazy concatenation: handed back, it starts the builder. */
        private TruffleString pending;
        private TruffleStringBuilder builder;
        /**
         * The builder's array as its last string sees it. A string is the builder's whole content when it
         * views that array from the start over the builder's length (its bytes are then exactly the
         * builder's): a step stores no reference, and a step cut short between its append and its string
         * (Ctrl-C in the REPL) leaves no string of that length to extend.
         */
        private byte[] array;

        Chain(TruffleString pending) {
            this.pending = pending;
        }

        /** Whether s is what this site made last, on this thread: then it is extended in place. */
        boolean extendedBy(TruffleString s, TruffleString.GetInternalByteArrayNode bytesOf) {
            if (owner != Thread.currentThread()) {
                return false;
            }
            if (s == pending) {
                return true;
            }
            if (builder == null || s.byteLength(Strings.ENCODING) != builder.byteLength()) {
                return false;
            }
            InternalByteArray bytes = bytesOf.execute(s, Strings.ENCODING);
            return bytes.getArray() == array && bytes.getOffset() == 0;
        }

        /** The builder holding s, the last string made: the one in use, or, the first time, a new one with s's bytes. */
        TruffleStringBuilder builder(TruffleString s) {
            if (builder == null) {
                start(s);
            }
            return builder;
        }

        /** Notes r, just made from the builder, as the site's last string. */
        TruffleString made(TruffleString r, TruffleString.GetInternalByteArrayNode bytesOf) {
            byte[] now = bytesOf.execute(r, Strings.ENCODING).getArray();
            if (now != array) {
                array = now;
            }
            return r;
        }

        @TruffleBoundary
        private void start(TruffleString s) {
            int length = s.byteLength(Strings.ENCODING); // at most UNTIL: room for half as much again
            builder = TruffleStringBuilder.createUTF8(length + length / 2 + 64);
            builder.appendStringUncached(s);
            pending = null;
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

    /**
     * {@code contains}, {@code startsWith} and {@code endsWith} of two strings. Compiled code runs them in place on
     * the UTF-8 bytes with TruffleString's cached nodes, where the builtin made two Java strings behind a boundary
     * (UTF-8 is self-synchronising: one valid string occurs in another as bytes exactly where it occurs as code
     * points). The interpreter keeps the builtin's way: Java's String methods are compiled early in every run, by
     * the JVM's own start, while TruffleString's search code starts cold, and a short program ran 1.2x the time
     * with it. But Truffle's nodes specialize and profile in the interpreter: compiled code that reached nodes the
     * interpreter had never run would deoptimize, resume in the interpreter at the last side effect before the
     * search, take the Java way again and leave the nodes as they were, over and over. So the first time compiled
     * code reaches a search, it marks every search of its root (a boundary call: the interpreter resumes after
     * it) and goes back to the interpreter, which runs the nodes from then on.
     */
    public static final class Search extends OspreyNode {
        @Child private Arguments arguments;
        /** Whether compiled code has reached a search of this root: then the interpreter runs the nodes too. */
        @CompilationFinal private boolean nodesInUse;
        private final Intrinsics.StringSearch.Kind kind;
        @Child private TruffleString.ByteIndexOfStringNode indexOf;
        @Child private TruffleString.RegionEqualByteIndexNode regionEqual;

        public Search(Arguments arguments, Intrinsics.StringSearch.Kind kind) {
            this.arguments = arguments;
            this.kind = kind;
            if (kind == Intrinsics.StringSearch.Kind.CONTAINS) {
                indexOf = TruffleString.ByteIndexOfStringNode.create();
            } else {
                regionEqual = TruffleString.RegionEqualByteIndexNode.create();
            }
        }

        @Override
        public boolean executeBoolean(VirtualFrame frame) {
            Object[] a = arguments.evaluate(frame);
            TruffleString s = (TruffleString) a[0];
            TruffleString part = (TruffleString) a[1];
            if (!nodesInUse) {
                if (CompilerDirectives.inInterpreter()) {
                    return javaSearch(kind, s, part);
                }
                useNodes(this);
                CompilerDirectives.transferToInterpreterAndInvalidate();
            }
            int length = s.byteLength(Strings.ENCODING);
            int partLength = part.byteLength(Strings.ENCODING);
            switch (kind) {
                case CONTAINS:
                    return indexOf.execute(s, part, 0, length, Strings.ENCODING) >= 0;
                case STARTS_WITH:
                    return partLength <= length && regionEqual.execute(s, 0, part, 0, partLength, Strings.ENCODING);
                default:
                    return partLength <= length && regionEqual.execute(s, length - partLength, part, 0, partLength, Strings.ENCODING);
            }
        }

        @Override
        public Object executeGeneric(VirtualFrame frame) {
            return executeBoolean(frame);
        }

        @TruffleBoundary
        private static void useNodes(Search at) {
            at.nodesInUse = true;
            RootNode root = at.getRootNode();
            if (root != null) {
                root.accept(node -> {
                    if (node instanceof Search search) {
                        search.nodesInUse = true;
                    }
                    return true;
                });
            }
        }

        @TruffleBoundary
        private static boolean javaSearch(Intrinsics.StringSearch.Kind kind, TruffleString s, TruffleString part) {
            return Intrinsics.StringSearch.search(kind, s, part);
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
     * storage without a copy. A result of {@link Chain#FROM} bytes or more is joined from its parts by
     * TruffleString's lazy concatenation, or appended in place when it starts with what the site made last, as
     * {@link Concat} does: a string that grows by interpolating itself ({@code s = "${s}${x}"}, in a loop or a
     * fold) was copied whole at every step, quadratic in its length.
     */
    public static final class Interpolation extends OspreyNode {
        @Children private final OspreyNode[] parts;
        /** Whether part i is an {@code int} read with executeLong (the value node of a ToDisplay of rep LONG). */
        @CompilationFinal(dimensions = 1) private final boolean[] ints;
        private final boolean anyInts;
        @Children private final TruffleStringBuilder.AppendStringNode[] appendString;
        @Child private TruffleStringBuilder.AppendLongNumberNode appendLong;
        @Child private TruffleStringBuilder.ToStringNode toText = TruffleStringBuilder.ToStringNode.create();
        @Child private TruffleString.ConcatNode concat;
        @Child private TruffleString.FromLongNode digits;
        @Child private TruffleString.GetInternalByteArrayNode bytesOf = TruffleString.GetInternalByteArrayNode.create();
        /** What this site made last, if it was large (see Chain). */
        private Chain chain;
        private final boolean sum;

        public Interpolation(OspreyNode[] parts) {
            this(parts, false);
        }

        /**
         * With {@code sum}, the parts are the operands of {@code a + b + c}: a result below {@link Chain#FROM}
         * is then joined lazily, as nested {@code +} would (an array of the exact size would copy a string
         * growing by {@code out = out + x + y} at each step), and a larger one goes to the chain as for an
         * interpolation.
         */
        public Interpolation(OspreyNode[] parts, boolean sum) {
            this.sum = sum;
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
            if (bytes >= Chain.FROM) {
                return large(strings, numbers, bytes <= Chain.UNTIL);
            }
            if (sum) {
                return joined(strings, numbers);
            }
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

        @ExplodeLoop
        private TruffleString large(TruffleString[] strings, long[] numbers, boolean chained) {
            Chain c = chain;
            if (chained && !ints[0] && c != null && c.extendedBy(strings[0], bytesOf)) {
                TruffleStringBuilder sb = c.builder(strings[0]);
                for (int i = 1; i < parts.length; i++) {
                    if (ints[i]) {
                        appendLong.execute(sb, numbers[i]);
                    } else {
                        appendString[i].execute(sb, strings[i]);
                    }
                }
                return c.made(toText.execute(sb, true), bytesOf);
            }
            TruffleString result = joined(strings, numbers);
            if (chained) {
                chain = new Chain(result);
            }
            return result;
        }

        /** The parts joined by TruffleString's lazy concatenation. */
        @ExplodeLoop
        private TruffleString joined(TruffleString[] strings, long[] numbers) {
            if (concat == null) {
                CompilerDirectives.transferToInterpreterAndInvalidate();
                concat = insert(TruffleString.ConcatNode.create());
                digits = insert(TruffleString.FromLongNode.create());
            }
            TruffleString result = ints[0] ? digits.execute(numbers[0], Strings.ENCODING, false) : strings[0];
            for (int i = 1; i < parts.length; i++) {
                TruffleString part = ints[i] ? digits.execute(numbers[i], Strings.ENCODING, false) : strings[i];
                result = concat.execute(result, part, Strings.ENCODING, true);
            }
            return result;
        }
    }
}
