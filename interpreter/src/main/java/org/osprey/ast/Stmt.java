package org.osprey.ast;

import java.util.List;

/** Statements: declarations and expressions evaluated for their effect (spec 0003 Program Structure). */
public abstract sealed class Stmt extends Node {
    protected Stmt(int start, int end) {
        super(start, end);
    }

    /** {@code let x = e}, {@code mut x: T = e} */
    public static final class Let extends Stmt {
        public final boolean mutable;
        public final String name;
        public final int nameStart;
        public final TypeExpr annotation;
        public final Expr value;
        public Binding binding;

        public Let(int start, int end, boolean mutable, String name, int nameStart, TypeExpr annotation, Expr value) {
            super(start, end);
            this.mutable = mutable;
            this.name = name;
            this.nameStart = nameStart;
            this.annotation = annotation;
            this.value = value;
        }
    }

    /** {@code let [head, ...tail] = xs}: a let that destructures with an irrefutable or checked pattern. */
    public static final class LetPattern extends Stmt {
        public final Pattern pattern;
        public final Expr value;

        public LetPattern(int start, int end, Pattern pattern, Expr value) {
            super(start, end);
            this.pattern = pattern;
            this.value = value;
        }
    }

    /** {@code x = e} on a mut binding */
    public static final class Assign extends Stmt {
        public final String name;
        public final Expr value;
        public Binding binding;

        public Assign(int start, int end, String name, Expr value) {
            super(start, end);
            this.name = name;
            this.value = value;
        }
    }

    /**
     * {@code target.field = value}: never allowed (records do not change in place, and a module's values are
     * assigned only by its own functions), but parsed, so that the resolver, which knows the scopes and the
     * modules, says which of the two it is.
     */
    public static final class FieldAssign extends Stmt {
        public final Expr.FieldAccess target;
        public final int equalsAt;
        public final Expr value;

        public FieldAssign(Expr.FieldAccess target, int equalsAt, Expr value) {
            super(target.start, value.end);
            this.target = target;
            this.equalsAt = equalsAt;
            this.value = value;
        }
    }

    /** {@code fn name<T>(params) -> R = body}; top level or nested in a block. */
    public static final class Fn extends Stmt {
        public final String name;
        public final int nameStart;
        public final List<TypeParam> typeParams;
        public final List<Param> params;
        public final TypeExpr result;
        public final Expr body;
        public final String doc;
        public Binding binding;
        public FunctionInfo info;
        /** The effects after {@code !} (spec 0017); null when the function declares none. */
        public List<EffectRef> effects;
        /** The module this function belongs to (spec 0011), or null for a function of the program. */
        public String module;

        public Fn(int start, int end, String name, int nameStart, List<TypeParam> typeParams, List<Param> params,
                        TypeExpr result, Expr body, String doc) {
            super(start, end);
            this.name = name;
            this.nameStart = nameStart;
            this.typeParams = typeParams;
            this.params = params;
            this.result = result;
            this.body = body;
            this.doc = doc;
        }

        /** The name a caller outside its module writes: {@code Counter.increment} for a module's function. */
        public String qualifiedName() {
            return module == null ? name : module + "." + name;
        }
    }

    /** A type parameter where it is declared: {@code T} in {@code type Box<T>} or {@code fn first<T>}. */
    public static final class TypeParam extends Node {
        public final String name;

        public TypeParam(int start, int end, String name) {
            super(start, end);
            this.name = name;
        }
    }

    public static final class FieldDecl extends Node {
        public final String name;
        public final TypeExpr type;

        public FieldDecl(int start, int end, String name, TypeExpr type) {
            super(start, end);
            this.name = name;
            this.type = type;
        }
    }

    public static final class VariantDecl extends Node {
        public final String name;
        /** null for a variant without payload */
        public final List<FieldDecl> fields;

        public VariantDecl(int start, int end, String name, List<FieldDecl> fields) {
            super(start, end);
            this.name = name;
            this.fields = fields;
        }
    }

    /**
     * {@code type Name<T> = ...}: a record ({@code fields}), a union ({@code variants}) or an alias
     * ({@code alias}); exactly one is set.
     */
    public static final class TypeDecl extends Stmt {
        public final String name;
        public final int nameStart;
        public final List<TypeParam> typeParams;
        public final List<FieldDecl> fields;
        public final List<VariantDecl> variants;
        public final TypeExpr alias;
        /** {@code where validator}: construction runs it and yields a Result (spec 0004). */
        public final String validator;
        public final int validatorStart;
        public final String doc;

        public TypeDecl(int start, int end, String name, int nameStart, List<TypeParam> typeParams, List<FieldDecl> fields,
                        List<VariantDecl> variants, TypeExpr alias, String validator, int validatorStart, String doc) {
            super(start, end);
            this.name = name;
            this.nameStart = nameStart;
            this.typeParams = typeParams;
            this.fields = fields;
            this.variants = variants;
            this.alias = alias;
            this.validator = validator;
            this.validatorStart = validatorStart;
            this.doc = doc;
        }
    }

    public static final class ExprStmt extends Stmt {
        public final Expr expr;

        public ExprStmt(int start, int end, Expr expr) {
            super(start, end);
            this.expr = expr;
        }
    }

    /** {@code import std.io}: accepted for compatibility; the interpreter has no module system yet. */
    public static final class Import extends Stmt {
        public final String path;

        public Import(int start, int end, String path) {
            super(start, end);
            this.path = path;
        }
    }

    /**
     * {@code module Counter { mut count = 0  fn increment() -> int = ... }} (spec 0011): functions and values
     * reached from outside as {@code Counter.increment()}. Each fiber has its own instance of the values, made
     * by running their initialisers in order the first time the fiber reads or assigns one of them.
     */
    public static final class Module extends Stmt {
        public final String name;
        public final int nameStart;
        /** The module's declarations in order: {@link Let}s and {@link Fn}s. */
        public final List<Stmt> members;
        public final String doc;
        /** The function the initialisers of its values run in (their frame), set by the resolver. */
        public FunctionInfo init;

        public Module(int start, int end, String name, int nameStart, List<Stmt> members, String doc) {
            super(start, end);
            this.name = name;
            this.nameStart = nameStart;
            this.members = members;
            this.doc = doc;
        }

        public List<Let> values() {
            return members.stream().filter(m -> m instanceof Let).map(m -> (Let) m).toList();
        }

        public List<Fn> functions() {
            return members.stream().filter(m -> m instanceof Fn).map(m -> (Fn) m).toList();
        }
    }

    /** An effect's name where it is written: in an annotation {@code !State} or {@code ![A, B]}. */
    public static final class EffectRef extends Node {
        public final String name;

        public EffectRef(int start, int end, String name) {
            super(start, end);
            this.name = name;
        }
    }

    /** {@code op: fn(T) -> R} in an effect declaration. */
    public static final class OpDecl extends Node {
        public final String name;
        public final TypeExpr.Function type;

        public OpDecl(int start, int end, String name, TypeExpr.Function type) {
            super(start, end);
            this.name = name;
            this.type = type;
        }
    }

    /** {@code effect Name { op: fn(...) -> R ... }} (spec 0017). */
    public static final class EffectDecl extends Stmt {
        public final String name;
        public final int nameStart;
        public final List<OpDecl> ops;
        public final String doc;

        public EffectDecl(int start, int end, String name, int nameStart, List<OpDecl> ops, String doc) {
            super(start, end);
            this.name = name;
            this.nameStart = nameStart;
            this.ops = ops;
            this.doc = doc;
        }
    }
}
