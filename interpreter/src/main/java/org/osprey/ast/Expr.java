package org.osprey.ast;

import java.util.List;

import org.osprey.types.Coercion;
import org.osprey.types.Type;

/**
 * Expressions. The parser fills in the syntax; the checker fills in {@link #type} (the expression's own
 * type) and {@link #coercion} (how its value is converted at the place it is used, e.g. an auto-unwrapped
 * arithmetic Result, spec 0004 "Result Auto-Unwrapping").
 */
public abstract sealed class Expr extends Node {
    public Type type;
    public Coercion coercion;

    protected Expr(int start, int end) {
        super(start, end);
    }

    public static final class IntLit extends Expr {
        public final long value;

        public IntLit(int start, int end, long value) {
            super(start, end);
            this.value = value;
        }
    }

    public static final class FloatLit extends Expr {
        public final double value;

        public FloatLit(int start, int end, double value) {
            super(start, end);
            this.value = value;
        }
    }

    public static final class BoolLit extends Expr {
        public final boolean value;

        public BoolLit(int start, int end, boolean value) {
            super(start, end);
            this.value = value;
        }
    }

    /** {@code ()} */
    public static final class UnitLit extends Expr {
        public UnitLit(int start, int end) {
            super(start, end);
        }
    }

    /** A string literal; {@code parts} holds Strings and Exprs (the {@code ${...}} pieces), spec 0006. */
    public static final class StringLit extends Expr {
        public final List<Object> parts;

        public StringLit(int start, int end, List<Object> parts) {
            super(start, end);
            this.parts = parts;
        }

        public boolean isPlain() {
            return parts.size() == 1 && parts.get(0) instanceof String;
        }
    }

    public static final class Ident extends Expr {
        public final String name;
        public Binding binding;
        /** Set when the name denotes a union variant (a nullary constructor used as a value). */
        public Object variant;

        public Ident(int start, int end, String name) {
            super(start, end);
            this.name = name;
        }
    }

    public enum BinOp {
        ADD("+"), SUB("-"), MUL("*"), DIV("/"), MOD("%"),
        EQ("=="), NE("!="), LT("<"), GT(">"), LE("<="), GE(">="),
        AND("&&"), OR("||");

        public final String symbol;

        BinOp(String symbol) {
            this.symbol = symbol;
        }

        public boolean isArithmetic() {
            return ordinal() <= MOD.ordinal();
        }

        public boolean isComparison() {
            return ordinal() >= EQ.ordinal() && ordinal() <= GE.ordinal();
        }
    }

    public static final class Binary extends Expr {
        public final BinOp op;
        public final Expr left;
        public final Expr right;
        /** The operand type the checker chose: int, float, string, bool, or another type for equality. */
        public Type operandType;

        public Binary(int start, int end, BinOp op, Expr left, Expr right) {
            super(start, end);
            this.op = op;
            this.left = left;
            this.right = right;
        }
    }

    public static final class Unary extends Expr {
        /** '-', '+' or '!' */
        public final char op;
        public final Expr operand;

        public Unary(int start, int end, char op, Expr operand) {
            super(start, end);
            this.op = op;
            this.operand = operand;
        }
    }

    /** One argument as written: {@code name: value} or a positional {@code value}. */
    public static final class Arg extends Node {
        public final String name;
        public final Expr value;
        /** The left side of a pipe or the receiver of a method-call, inserted as the first argument. */
        public final boolean injected;

        public Arg(int start, int end, String name, Expr value, boolean injected) {
            super(start, end);
            this.name = name;
            this.value = value;
            this.injected = injected;
        }
    }

    public enum CallKind {
        /** a top-level or nested fn called by name */
        FUNCTION,
        /** a builtin called by name */
        BUILTIN,
        /** a union variant or Result constructor: Some(1), Success() */
        CONSTRUCTOR,
        /** any other expression of function type */
        VALUE
    }

    /**
     * A call. Pipes ({@code x |> f(a)}) and method-call syntax ({@code x.f(a)}) are parsed into calls with the
     * receiver as an injected first argument (spec 0010 pipe, spec 0012 UFCS).
     */
    public static final class Call extends Expr {
        public final Expr callee;
        public final List<Arg> args;
        public final boolean fromPipe;
        public CallKind kind;
        /** Arguments in parameter order after named-argument reordering. */
        public List<Expr> ordered;
        /** The builtin or the variant, for BUILTIN and CONSTRUCTOR calls. */
        public Object target;
        /** An argument was auto-unwrapped and the callee returns Result<_, MathError>: errors become its result. */
        public boolean propagatesMathError;
        /** A call of the enclosing function to itself in tail position. */
        public boolean selfTailCall;
        /**
         * Said after a mismatch in an argument of this call of a builtin, instead of the usual hints: where the
         * program has an effect operation of the builtin's name, {@code log("x")} meant to perform it.
         */
        public String argumentNote;

        public Call(int start, int end, Expr callee, List<Arg> args, boolean fromPipe) {
            super(start, end);
            this.callee = callee;
            this.args = args;
            this.fromPipe = fromPipe;
        }
    }

    /**
     * {@code receiver.name(args)}: a call of a function-typed record field if the receiver is a record with
     * that field, otherwise uniform function call syntax, {@code name(receiver, args)} (spec 0012).
     */
    public static final class MethodCall extends Expr {
        public final Expr receiver;
        public final String name;
        public final int nameStart;
        public final List<Arg> args;
        /** The function the name denotes in scope, if any (for the uniform-call reading). */
        public Binding function;
        /** What the checker decided this is: a field call or a plain call with the receiver injected. */
        public Expr resolved;
        /** Reported by the resolver as no call at all ({@code State.get()} on an effect): the checker leaves it. */
        public boolean refused;
        /** A call of a module's member ({@code Counter.increment()}): {@link #resolved} is set by the resolver. */
        public boolean ofModule;

        public MethodCall(int start, int end, Expr receiver, String name, int nameStart, List<Arg> args) {
            super(start, end);
            this.receiver = receiver;
            this.name = name;
            this.nameStart = nameStart;
            this.args = args;
        }
    }

    public static final class FieldAccess extends Expr {
        public final Expr target;
        public final String field;
        public final int fieldStart;
        /** Position of the field in the record layout, set by the checker. */
        public int index = -1;
        /** Read by name: the target is an {@code any} whose fields a structural pattern proved. */
        public boolean byName;
        /** A module's member ({@code Counter.count}, {@code Counter.increment}): the name it stands for, set by the resolver. */
        public Ident resolved;

        public FieldAccess(int start, int end, Expr target, String field, int fieldStart) {
            super(start, end);
            this.target = target;
            this.field = field;
            this.fieldStart = fieldStart;
        }
    }

    /** {@code xs[i]} / {@code m[key]}: lookups returning Result (spec 0003 List Access). */
    public static final class Index extends Expr {
        public final Expr target;
        public final Expr index;

        public Index(int start, int end, Expr target, Expr index) {
            super(start, end);
            this.target = target;
            this.index = index;
        }
    }

    public static final class Lambda extends Expr {
        public final List<Param> params;
        public final TypeExpr result;
        public final Expr body;
        public FunctionInfo info;

        public Lambda(int start, int end, List<Param> params, TypeExpr result, Expr body) {
            super(start, end);
            this.params = params;
            this.result = result;
            this.body = body;
        }
    }

    /** {@code { stmt* expr? }}: a scope whose value is its last expression, or unit (spec 0008). */
    /** Where an expression's value comes from: a block's last expression (through nested blocks), else the expression. */
    public static Expr valueSite(Expr e) {
        while (e instanceof Block b && b.result != null) {
            e = b.result;
        }
        return e;
    }

    public static final class Block extends Expr {
        public final List<Stmt> statements;
        public final Expr result;

        public Block(int start, int end, List<Stmt> statements, Expr result) {
            super(start, end);
            this.statements = statements;
            this.result = result;
        }
    }

    public static final class Arm extends Node {
        public final Pattern pattern;
        public final Expr guard;
        public final Expr body;

        public Arm(int start, int end, Pattern pattern, Expr guard, Expr body) {
            super(start, end);
            this.pattern = pattern;
            this.guard = guard;
            this.body = body;
        }
    }

    /** How a match was written, so messages can speak of what the user wrote. */
    public enum MatchForm {
        MATCH, TERNARY, ELVIS
    }

    public static final class Match extends Expr {
        public final Expr scrutinee;
        public final List<Arm> arms;
        public final MatchForm form;
        /** The value is not used (a statement): the arms need not agree on a type. */
        public boolean discarded;

        public Match(int start, int end, Expr scrutinee, List<Arm> arms, MatchForm form) {
            super(start, end);
            this.scrutinee = scrutinee;
            this.arms = arms;
            this.form = form;
        }
    }

    public static final class FieldInit extends Node {
        public final String name;
        public final Expr value;

        public FieldInit(int start, int end, String name, Expr value) {
            super(start, end);
            this.name = name;
            this.value = value;
        }
    }

    /**
     * {@code Name { field: value, ... }}: constructs a record, a variant with fields, or Success/Error. The
     * checker records the resolved type declaration or variant in {@link #target}.
     */
    public static final class RecordLit extends Expr {
        public final String typeName;
        public final List<FieldInit> fields;
        public Object target;
        /** Field values in layout order, set by the checker. */
        public List<Expr> ordered;

        public RecordLit(int start, int end, String typeName, List<FieldInit> fields) {
            super(start, end);
            this.typeName = typeName;
            this.fields = fields;
        }
    }

    /** {@code record { field: value }}: a copy with some fields replaced (spec 0004). */
    public static final class RecordUpdate extends Expr {
        public final Expr target;
        public final List<FieldInit> fields;
        /** Layout positions of the updated fields, set by the checker. */
        public int[] indices;
        /**
         * Set by the resolver when the target names no value but a record type or variant ({@code point { x: 1 }}
         * with a lower-case type name): then this is that construction, not an update.
         */
        public RecordLit construction;

        public RecordUpdate(int start, int end, Expr target, List<FieldInit> fields) {
            super(start, end);
            this.target = target;
            this.fields = fields;
        }
    }

    public static final class ListLit extends Expr {
        public final List<Expr> elements;

        public ListLit(int start, int end, List<Expr> elements) {
            super(start, end);
            this.elements = elements;
        }
    }

    public static final class MapEntry extends Node {
        public final Expr key;
        public final Expr value;

        public MapEntry(int start, int end, Expr key, Expr value) {
            super(start, end);
            this.key = key;
            this.value = value;
        }
    }

    public static final class MapLit extends Expr {
        public final List<MapEntry> entries;

        public MapLit(int start, int end, List<MapEntry> entries) {
            super(start, end);
            this.entries = entries;
        }
    }

    public static final class TupleLit extends Expr {
        public final List<Expr> elements;

        public TupleLit(int start, int end, List<Expr> elements) {
            super(start, end);
            this.elements = elements;
        }
    }

    /** {@code [expr for x in source if cond]} (spec 0004 TYPE-LIST-COMP). */
    public static final class Comprehension extends Expr {
        public final Expr element;
        public final Pattern binder;
        public final Expr source;
        public final Expr condition;

        public Comprehension(int start, int end, Expr element, Pattern binder, Expr source, Expr condition) {
            super(start, end);
            this.element = element;
            this.binder = binder;
            this.source = source;
            this.condition = condition;
        }
    }

    /**
     * {@code spawn expr}, or {@code Fiber<T> { computation: f }} (spec 0011): starts a fiber that computes the
     * body, a lambda without parameters made by the parser (for the record form, one that calls the
     * computation). {@link #declared} is the {@code T} written in the record form, else null.
     */
    public static final class Spawn extends Expr {
        public final Lambda body;
        public final TypeExpr declared;

        public Spawn(int start, int end, Lambda body, TypeExpr declared) {
            super(start, end);
            this.body = body;
            this.declared = declared;
        }
    }

    /** {@code Channel<T> { capacity: n }} (spec 0011): a new channel; {@link #element} is {@code T} or null. */
    public static final class NewChannel extends Expr {
        public final TypeExpr element;
        public final Expr capacity;

        public NewChannel(int start, int end, TypeExpr element, Expr capacity) {
            super(start, end);
            this.element = element;
            this.capacity = capacity;
        }
    }

    /**
     * The body of {@code extern fn name(a: int) -> int} (spec 0003): a call of the C function {@link #symbol}
     * with the function's parameters ({@link #args}, their names) of the C types {@link #types}. The program's
     * loader finds the C function before the program runs and keeps it in {@link #linked}, and where a string
     * passes, the C library's string functions in {@link #strings} (a CStrings of the nodes).
     */
    public static final class Extern extends Expr {
        public final String symbol;
        public final List<Expr> args;
        public final List<ExternType> types;
        public final ExternType result;
        public Object linked;
        public Object strings;

        public Extern(int start, int end, String symbol, List<Expr> args, List<ExternType> types, ExternType result) {
            super(start, end);
            this.symbol = symbol;
            this.args = args;
            this.types = types;
            this.result = result;
        }
    }

    /** {@code perform Effect.op(args)}: asks the innermost handler of the effect for a value (spec 0017). */
    public static final class Perform extends Expr {
        public final String effect;
        public final int effectStart;
        public final String op;
        public final int opStart;
        public final List<Arg> args;
        /** Set by the checker: the declared effect and the index of the operation in it. */
        public org.osprey.types.EffectInfo target;
        public int opIndex = -1;

        public Perform(int start, int end, String effect, int effectStart, String op, int opStart, List<Arg> args) {
            super(start, end);
            this.effect = effect;
            this.effectStart = effectStart;
            this.op = op;
            this.opStart = opStart;
            this.args = args;
        }
    }

    /**
     * One arm of a handler, {@code op a b => body}: kept as a lambda over the arm's parameters, so that it
     * closes over the scope the {@code handle} is written in like any function value.
     */
    public static final class HandlerArm extends Node {
        public final String op;
        public final int opEnd;
        public final Lambda function;

        public HandlerArm(int start, int end, String op, int opEnd, Lambda function) {
            super(start, end);
            this.op = op;
            this.opEnd = opEnd;
            this.function = function;
        }
    }

    /** {@code handle Effect arm+ in body}: runs body with the arms installed as the effect's innermost handler. */
    public static final class Handle extends Expr {
        public final String effect;
        public final int effectStart;
        public final List<HandlerArm> arms;
        public final Expr body;
        /** Set by the checker: the declared effect, and each operation's arm (null where the handler has none). */
        public org.osprey.types.EffectInfo target;
        public HandlerArm[] armsByOp;

        public Handle(int start, int end, String effect, int effectStart, List<HandlerArm> arms, Expr body) {
            super(start, end);
            this.effect = effect;
            this.effectStart = effectStart;
            this.arms = arms;
            this.body = body;
        }
    }

    /**
     * One arm of a {@code select} (spec 0011): {@code name => recv(ch) => body}, {@code name => send(ch, v) =>
     * body}, or the default {@code _ => body} ({@link #channel} null), which runs when no operation can complete
     * at once.
     */
    public static final class SelectArm extends Node {
        /** What the received value is bound to (a Binder or a Wildcard); null for the default arm. */
        public final Pattern binder;
        public final Expr channel;
        /** The value a send arm sends; null for a receive. */
        public final Expr value;
        public final Expr body;

        public SelectArm(int start, int end, Pattern binder, Expr channel, Expr value, Expr body) {
            super(start, end);
            this.binder = binder;
            this.channel = channel;
            this.value = value;
            this.body = body;
        }

        public boolean isDefault() {
            return channel == null;
        }
    }

    /** {@code select { arms }}: waits for the first of several channel operations and runs its arm. */
    public static final class Select extends Expr {
        public final List<SelectArm> arms;
        /** The value is not used (a statement): the arms need not agree on a type, as a match's need not. */
        public boolean discarded;

        public Select(int start, int end, List<SelectArm> arms) {
            super(start, end);
            this.arms = arms;
        }
    }
}
