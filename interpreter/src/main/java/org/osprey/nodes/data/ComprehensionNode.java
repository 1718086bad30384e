package org.osprey.nodes.data;

import java.util.ArrayList;
import java.util.List;

import com.oracle.truffle.api.frame.VirtualFrame;

import org.osprey.nodes.OspreyNode;
import org.osprey.nodes.pattern.PatternNode;
import org.osprey.runtime.ListValue;
import org.osprey.runtime.MapValue;
import org.osprey.runtime.TupleValue;

/** {@code [element for binder in source if condition]} (spec 0004 TYPE-LIST-COMP): one pass, one new list. */
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
        List<Object> out = new ArrayList<>();
        if (src instanceof ListValue l) {
            for (int i = 0; i < l.size(); i++) {
                step(frame, l.get(i), out);
            }
        } else if (src instanceof MapValue m) {
            for (Object[] e : m.entries()) {
                step(frame, new TupleValue(e), out);
            }
        } else {
            org.osprey.runtime.Iteration.forEach(src, v -> step(frame, v, out));
        }
        return ListValue.of(out);
    }

    private void step(VirtualFrame frame, Object v, List<Object> out) {
        binder.match(frame, v);
        if (condition == null || condition.executeBoolean(frame)) {
            out.add(element.executeGeneric(frame));
        }
    }
}
