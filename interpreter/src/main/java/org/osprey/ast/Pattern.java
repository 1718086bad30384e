package org.osprey.ast;

import java.util.List;

import org.osprey.types.Type;

/** Patterns of spec 0007. The checker resolves constructors and gives every binder its binding. */
public abstract sealed class Pattern extends Node {
    /** The type of the value this pattern is matched against, set by the checker. */
    public Type type;

    protected Pattern(int start, int end) {
        super(start, end);
    }

    /** {@code _} */
    public static final class Wildcard extends Pattern {
        public Wildcard(int start, int end) {
            super(start, end);
        }
    }

    /** A name that is not a constructor: matches anything and binds it. */
    public static final class Binder extends Pattern {
        public final String name;
        public Binding binding;
        /** The name is a nullary constructor (e.g. {@code Red}), so this matches a variant instead of binding. */
        public boolean constructor;
        /** The resolved variant when {@link #constructor} is set. */
        public Object variant;
        /** For a record type's name on {@code any} ({@code Point =>}): the type test {@code Point: Point}, set by the checker. */
        public Typed typeTest;

        public Binder(int start, int end, String name) {
            super(start, end);
            this.name = name;
        }
    }

    /** An int, float, string or bool literal (negative numbers included). */
    public static final class Literal extends Pattern {
        /** The value of the unit pattern {@code ()}. */
        public static final Object UNIT = new Object() {
            @Override
            public String toString() {
                return "()";
            }
        };

        public final Object value;

        public Literal(int start, int end, Object value) {
            super(start, end);
            this.value = value;
        }
    }

    /** {@code field}, {@code field: pattern}: one field of a record or variant pattern. */
    public static final class FieldPat extends Node {
        public final String field;
        /** null means "bind the field to a variable of the same name". */
        public final Pattern pattern;
        /** Layout position of the field, set by the checker. */
        public int index = -1;
        /** Set for the shorthand binder of a single-field variant ({@code Success { v }}), bound by position. */
        public Binding binding;

        public FieldPat(int start, int end, String field, Pattern pattern) {
            super(start, end);
            this.field = field;
            this.pattern = pattern;
        }
    }

    /**
     * A constructor: {@code Red}, {@code Circle { radius }}, {@code Some(x)}, {@code Success x} (seeds),
     * {@code Error { message }}. Exactly one of {@code fields} (braces) and {@code positional} is non-null,
     * or neither for a bare name.
     */
    public static final class Constructor extends Pattern {
        public final String name;
        public final List<FieldPat> fields;
        public final List<Pattern> positional;
        /** The resolved variant, set by the checker. */
        public Object variant;
        /**
         * For a record's pattern on {@code any} ({@code Point { x }}): the type test it is, the one that
         * {@code p: Point { x }} makes without binding the whole, set by the checker (which checks it instead).
         */
        public Typed typeTest;

        public Constructor(int start, int end, String name, List<FieldPat> fields, List<Pattern> positional) {
            super(start, end);
            this.name = name;
            this.fields = fields;
            this.positional = positional;
        }
    }

    /**
     * {@code name: Type}, {@code name: { fields }}, {@code name: Type { fields }}, {@code { fields }}: a type
     * test with optional binder and destructuring, the way to narrow {@code any} (spec 0007).
     */
    public static final class Typed extends Pattern {
        public final String name;
        public final TypeExpr typeExpr;
        public final List<FieldPat> fields;
        public Binding binding;
        /** The type tested for, resolved by the checker (null for a purely structural test). */
        public Type tested;
        /** For a structural pattern on a union ({@code { value }} on a Result): the variant it selects. */
        public Object variant;
        /**
         * For a structural pattern on a union that two or more variants have the fields of ({@code { x }} on
         * {@code A { x } | B { x, y }}): those variants, each of which it matches (and {@link #variant} is null).
         */
        public List<Object> variants;
        /**
         * For a structural pattern on {@code any}: the records and variants whose field types the checker
         * gave its fields ({@link org.osprey.types.TypeInfo} or {@link org.osprey.types.VariantInfo}), and
         * those types, parallel to {@link #fields} (null where the field is {@code any}).
         */
        public List<Object> byNameCandidates;
        public List<org.osprey.types.Type> byNameTypes;

        public Typed(int start, int end, String name, TypeExpr typeExpr, List<FieldPat> fields) {
            super(start, end);
            this.name = name;
            this.typeExpr = typeExpr;
            this.fields = fields;
        }
    }

    /** {@code [a, b]}, {@code [head, ...tail]} (spec 0004 TYPE-LIST-PATTERNS). */
    public static final class ListPat extends Pattern {
        public final List<Pattern> elements;
        /** The rest binder: null when there is no rest, "_" for an ignored rest. */
        public final String rest;
        public Binding restBinding;

        public ListPat(int start, int end, List<Pattern> elements, String rest) {
            super(start, end);
            this.elements = elements;
            this.rest = rest;
        }
    }

    public static final class TuplePat extends Pattern {
        public final List<Pattern> elements;

        public TuplePat(int start, int end, List<Pattern> elements) {
            super(start, end);
            this.elements = elements;
        }
    }

    /** {@code { "key": pattern, ... }}: matches any map holding at least these keys (spec 0004). */
    public static final class MapPat extends Pattern {
        public final List<Object> keys;
        public final List<Pattern> values;

        public MapPat(int start, int end, List<Object> keys, List<Pattern> values) {
            super(start, end);
            this.keys = keys;
            this.values = values;
        }
    }
}
