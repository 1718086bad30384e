package org.osprey.nodes.data;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

import com.oracle.truffle.api.CompilerDirectives.TruffleBoundary;
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

    @Override
    public Object executeGeneric(VirtualFrame frame) {
        Object src = source.executeGeneric(frame);
        List<Object> out = newList();
        if (src instanceof RangeValue r) {
            for (long i = r.start; i < r.end; i++) {
                TruffleSafepoint.poll(this); // so that Ctrl-C, a cancel or a time limit stops a long one
                step(frame, i, out);
            }
        } else {
            Iterator<Object> it = Iteration.cursor(src, OspreyContext.get(this));
            while (Iteration.hasNext(it)) {
                TruffleSafepoint.poll(this);
                step(frame, Iteration.next(it), out);
            }
        }
        return ListValue.of(out);
    }

    @TruffleBoundary
    private static List<Object> newList() {
        return new ArrayList<>();
    }

    @TruffleBoundary
    private static void add(List<Object> out, Object v) {
        out.add(v);
    }

    private void step(VirtualFrame frame, Object v, List<Object> out) {
        binder.match(frame, v);
        if (condition == null || condition.executeBoolean(frame)) {
            add(out, element.executeGeneric(frame));
        }
    }
}
