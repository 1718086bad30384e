package org.osprey.nodes.controlflow;

import com.oracle.truffle.api.CompilerDirectives;
import com.oracle.truffle.api.frame.VirtualFrame;
import com.oracle.truffle.api.nodes.ExplodeLoop;

import org.osprey.nodes.OspreyNode;
import org.osprey.nodes.pattern.PatternNode;
import org.osprey.runtime.Display;
import org.osprey.runtime.OspreyError;

/**
 * {@code match} (spec 0007), and the ternary forms desugared into it. Arms are tried in order; the checker
 * proved the arms exhaustive, so falling off the end is an internal error.
 */
public final class MatchNode extends ArmsNode {
    @Child private OspreyNode scrutinee;
    @Children private final PatternNode[] patterns;
    /** One per arm; null where the arm has no guard. */
    @Children private final OspreyNode[] guards;

    /** What a failed match means to the user, where the checker let one fail ({@code let [head, ...tail] = xs}). */
    private final String whenNoArm;
    /** The scrutinee is an int: it is matched unboxed ({@link PatternNode#matchLong}). */
    private final boolean longScrutinee;

    public MatchNode(OspreyNode scrutinee, PatternNode[] patterns, OspreyNode[] guards, OspreyNode[] bodies, boolean longScrutinee) {
        this(scrutinee, patterns, guards, bodies, null, longScrutinee);
    }

    public MatchNode(OspreyNode scrutinee, PatternNode[] patterns, OspreyNode[] guards, OspreyNode[] bodies, String whenNoArm) {
        this(scrutinee, patterns, guards, bodies, whenNoArm, false);
    }

    private MatchNode(OspreyNode scrutinee, PatternNode[] patterns, OspreyNode[] guards, OspreyNode[] bodies, String whenNoArm,
                    boolean longScrutinee) {
        super(bodies);
        this.whenNoArm = whenNoArm;
        this.longScrutinee = longScrutinee;
        this.scrutinee = scrutinee;
        this.patterns = patterns;
        this.guards = guards;
    }

    @Override
    protected int choose(VirtualFrame frame) {
        if (longScrutinee) {
            return selectLong(frame);
        }
        Object value = scrutinee.executeGeneric(frame);
        return selectObject(frame, value);
    }

    @ExplodeLoop
    private int selectObject(VirtualFrame frame, Object value) {
        for (int i = 0; i < patterns.length; i++) {
            if (patterns[i].match(frame, value) && (guards[i] == null || guards[i].executeBoolean(frame))) {
                return i;
            }
        }
        throw noArm(value);
    }

    @ExplodeLoop
    private int selectLong(VirtualFrame frame) {
        long value = scrutinee.executeLong(frame);
        for (int i = 0; i < patterns.length; i++) {
            if (patterns[i].matchLong(frame, value) && (guards[i] == null || guards[i].executeBoolean(frame))) {
                return i;
            }
        }
        throw noArm(value);
    }

    private OspreyError noArm(Object value) {
        CompilerDirectives.transferToInterpreter();
        if (whenNoArm != null) {
            return new OspreyError(Display.show(value) + " " + whenNoArm, this);
        }
        return new OspreyError("internal error: no match arm matched " + Display.show(value), this);
    }
}
