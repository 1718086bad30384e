package org.osprey.types;

import java.util.List;

/**
 * The checker's view of a builtin: parameter names and types, result, and the type variables to instantiate
 * per use. {@code implementation} is opaque here; the node builder knows what to do with it.
 */
public final class FunctionSignature {
    public final String name;
    public final List<String> paramNames;
    public final List<Type> paramTypes;
    public final Type result;
    public final List<Type.Var> typeVars;
    /** Grouping for sandbox flags: "core", "fs", "process", "websocket". */
    public final String category;
    public final Object implementation;
    /** Arguments are taken as they are, never auto-unwrapped (toString, spec 0004). */
    public boolean noUnwrap;
    public String doc;

    public FunctionSignature(String name, List<String> paramNames, List<Type> paramTypes, Type result,
                    List<Type.Var> typeVars, String category, Object implementation) {
        this.name = name;
        this.paramNames = paramNames;
        this.paramTypes = paramTypes;
        this.result = result;
        this.typeVars = typeVars;
        this.category = category;
        this.implementation = implementation;
    }

    public Type.Fun type() {
        return new Type.Fun(paramTypes, result);
    }

    public Scheme scheme() {
        return new Scheme(typeVars, type());
    }

    /** The type constructor of the first parameter, used to choose among overloads ("length" of a string or a list). */
    public TypeInfo subjectInfo() {
        if (paramTypes.isEmpty()) {
            return null;
        }
        return paramTypes.get(0).prune() instanceof Type.Con c ? c.info : null;
    }

    public String display() {
        StringBuilder sb = new StringBuilder(name).append('(');
        TypePrinter tp = new TypePrinter();
        for (int i = 0; i < paramNames.size(); i++) {
            if (i > 0) {
                sb.append(", ");
            }
            sb.append(paramNames.get(i)).append(": ").append(tp.show(paramTypes.get(i)));
        }
        return sb.append(") -> ").append(tp.show(result)).toString();
    }
}
