package org.osprey.nodes.data;

import java.util.Iterator;

import com.oracle.truffle.api.CompilerDirectives;
import com.oracle.truffle.api.CompilerDirectives.CompilationFinal;
import com.oracle.truffle.api.TruffleSafepoint;
import com.oracle.truffle.api.frame.VirtualFrame;

import org.osprey.OspreyContext;
import org.osprey.nodes.OspreyNode;
import org.osprey.nodes.pattern.PatternNode;
import org.osprey.runtime.Iteration;
import org.osprey.runtime.ListValue;
import org.osprey.runtime.RangeValue;

/**
 * {@code [element for binder in source if condition]} (spec 0004 TYPE-LIST-COMP): one pass, one new list.
 * The source is any iterable: a list, a map (key/value tuples), a range, or a lazy iterator such as
 * {@code range(...) |> map(f)}, whose steps run as its elements are pulled.
 */
public final class ComprehensionNode extends OspreyNode {
    @Child private OspreyNode source;
    @Child private PatternNode binder;
    @Child private OspreyNode condition;
    @Child private OspreyNode element;

    public ComprehensionNode(OspreyNode source, PatternNode binder, OspreyNode condition, OspreyNode element) {
        this.source = source;
        this.binder = binder;
        this.condition = condition;
        this.element = element;
    }

    /**
     * The kinds of source seen so far: compiled code has a loop for these only (each loop holds a copy of the
     * comprehension's body), and goes back to the interpreter for another.
     */
    @CompilationFinal private boolean sawRange;
    @CompilationFinal private boolean sawList;
    @CompilationFinal private boolean sawOther;

    @Override
    public Object executeGeneric(VirtualFrame frame) {
        Object src = source.executeGeneric(frame);
        if (src instanceof RangeValue r) {
            if (!sawRange) {
                CompilerDirectives.transferToInterpreterAndInvalidate();
                sawRange = true;
            }
            ListValue.Builder out = builder(r.end - r.start);
            for (long i = r.start; i < r.end; i++) {
                TruffleSafepoint.poll(this); // so that Ctrl-C, a cancel or a time limit stops a long one
                step(frame, i, out);
            }
            return out.build();
        } else if (src instanceof ListValue l) {
            if (!sawList) {
                CompilerDirectives.transferToInterpreterAndInvalidate();
                sawList = true;
            }
            ListValue.Builder out = builder(l.size());
            // By index: in compiled code an element is a few reads, with no call.
            for (int i = 0; i < l.size(); i++) {
                TruffleSafepoint.poll(this);
                step(frame, l.element(i), out);
            }
            return out.build();
        } else {
            if (!sawOther) {
                CompilerDirectives.transferToInterpreterAndInvalidate();
                sawOther = true;
            }
            ListValue.Builder out = new ListValue.Builder();
            Iterator<Object> it = Iteration.cursor(src, OspreyContext.get(this));
            while (Iteration.hasNext(it)) {
                TruffleSafepoint.poll(this);
                step(frame, Iteration.next(it), out);
            }
            return out.build();
        }
    }

    /**
     * Without a condition the list has one element per element of the source (or fewer, where the binder does not
     * match them all), made in one array.
     */
    private ListValue.Builder builder(long length) {
        return condition == null ? new ListValue.Builder(length) : new ListValue.Builder();
    }

    /**
     * An element its binder does not match is left out, as one its condition is false for: {@code [x for Some { value: x }
     * in options]} keeps the values of the Somes (the pattern is a filter too, spec 0004's desugaring to map and filter).
     */
    private void step(VirtualFrame frame, Object v, ListValue.Builder out) {
        if (binder.match(frame, v) && (condition == null || condition.executeBoolean(frame))) {
            out.add(element.executeGeneric(frame));
        }
    }
}
