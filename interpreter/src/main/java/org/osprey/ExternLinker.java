package org.osprey;

import java.util.ArrayList;
import java.util.List;

import com.oracle.truffle.api.CompilerDirectives.TruffleBoundary;
import com.oracle.truffle.api.interop.InteropException;
import com.oracle.truffle.api.interop.InteropLibrary;
import com.oracle.truffle.api.interop.UnknownIdentifierException;
import com.oracle.truffle.api.source.Source;

import org.osprey.ast.Expr;
import org.osprey.ast.ExternType;
import org.osprey.ast.Program;
import org.osprey.ast.Stmt;
import org.osprey.nodes.call.CStrings;
import org.osprey.parser.Diagnostic;

/**
 * Finds the C function of each extern declaration of a program (spec 0003) before the program runs, as a
 * compiler's linker would: one missing is an error at its declaration and nothing runs. The functions come
 * through Truffle's native function interface (the internal language "nfi", module truffle-nfi-libffi) from
 * the libraries the context names (option {@code osprey.Libraries}, the launcher's {@code --lib}), in their
 * order, and then from what the process has loaded already: the C library and the maths library.
 */
final class ExternLinker {
    private ExternLinker() {
    }

    /** Links every extern function declared at the top of {@code program}, or adds a diagnostic for each that cannot be. */
    @TruffleBoundary
    static void link(OspreyContext context, Program program, List<Diagnostic> diagnostics) {
        List<Stmt.Fn> externs = new ArrayList<>();
        for (Stmt s : program.statements) {
            if (s instanceof Stmt.Fn fn && fn.body instanceof Expr.Extern) {
                externs.add(fn);
            }
        }
        if (externs.isEmpty()) {
            return;
        }
        String refused = refusal(context);
        if (refused != null) {
            diagnostics.add(at(externs.get(0), refused)); // said once, not at every declaration
            return;
        }
        List<Object> libraries = new ArrayList<>();
        List<String> paths = context.externLibraries();
        for (String path : paths) {
            try {
                libraries.add(nfi(context, "load \"" + path.replace("\\", "\\\\").replace("\"", "\\\"") + "\""));
            } catch (RuntimeException e) {
                diagnostics.add(at(externs.get(0), "cannot load the library '" + path + "' given for extern functions: " + why(e)));
                return;
            }
        }
        Object process = nfi(context, "default");
        libraries.add(process);
        InteropLibrary interop = InteropLibrary.getUncached();
        CStrings strings = null; // bound for the first extern function that passes a string
        for (Stmt.Fn fn : externs) {
            Expr.Extern x = (Expr.Extern) fn.body;
            Object symbol = null;
            for (Object library : libraries) {
                try {
                    symbol = interop.readMember(library, x.symbol);
                    break;
                } catch (UnknownIdentifierException e) {
                    // in the next library
                } catch (InteropException e) {
                    break;
                }
            }
            if (symbol == null) {
                diagnostics.add(at(fn, "no C function named '" + x.symbol + "' in "
                                + (paths.isEmpty() ? "the C library (give the library that has it with --lib=PATH)"
                                                : "the libraries given (" + String.join(", ", paths) + ") or the C library")));
                continue;
            }
            try {
                x.linked = bind(context, symbol, signature(x));
                if (x.result == ExternType.STRING || x.types.contains(ExternType.STRING)) {
                    if (strings == null) {
                        strings = new CStrings(context.env, bind(context, interop.readMember(process, "strlen"), "(POINTER):UINT64"),
                                        bind(context, interop.readMember(process, "memcpy"), "(POINTER, [UINT8], UINT64):POINTER"),
                                        bind(context, interop.readMember(process, "memcpy"), "([UINT8], POINTER, UINT64):POINTER"),
                                        bind(context, interop.readMember(process, "malloc"), "(UINT64):POINTER"),
                                        bind(context, interop.readMember(process, "free"), "(POINTER):VOID"));
                    }
                    x.strings = strings;
                }
            } catch (InteropException | RuntimeException e) {
                diagnostics.add(at(fn, "cannot bind the C function '" + x.symbol + "': " + why(e)));
            }
        }
    }

    /** A problem with the extern declaration {@code fn}, placed at its name. */
    private static Diagnostic at(Stmt.Fn fn, String message) {
        return new Diagnostic(fn.nameStart, fn.nameStart + fn.name.length(), message);
    }

    /** Why this context cannot call C at all, or null if it can. */
    private static String refusal(OspreyContext context) {
        if (context.externsDisabled()) {
            return "extern functions are disabled here (--no-ffi or --sandbox, spec 0016)";
        }
        if (!context.env.isNativeAccessAllowed()) {
            return "extern functions need native access, which this context does not allow (Context.Builder.allowNativeAccess(true))";
        }
        if (!context.env.getInternalLanguages().containsKey("nfi")) {
            return "extern functions need Truffle's native function interface (org.graalvm.truffle:truffle-nfi-libffi), which is not"
                            + " on the module path";
        }
        return null;
    }

    /**
     * The NFI signature of an extern function: {@code (SINT64, [UINT8]):DOUBLE}. A string is passed as an array
     * of its UTF-8, or where the result is a string (which may point into an argument) as a pointer to a copy
     * that outlives the call, and a string result is a pointer ({@link CStrings}).
     */
    private static String signature(Expr.Extern x) {
        boolean givesString = x.result == ExternType.STRING;
        return "(" + String.join(", ", x.types.stream().map(t -> t == ExternType.STRING && givesString ? "POINTER" : t.nfi).toList()) + "):"
                        + (givesString ? "POINTER" : x.result.nfi);
    }

    /** The C function {@code symbol} of a library, callable with the NFI {@code signature}. */
    private static Object bind(OspreyContext context, Object symbol, String signature) throws InteropException {
        return InteropLibrary.getUncached().invokeMember(nfi(context, signature), "bind", symbol);
    }

    private static Object nfi(OspreyContext context, String code) {
        return context.env.parseInternal(Source.newBuilder("nfi", code, "extern").internal(true).build()).call();
    }

    /** The native function interface's reason, without a Java class name in front of it. */
    private static String why(Throwable e) {
        String message = e.getMessage();
        return message == null || message.isBlank() ? "the native function interface refused it" : message;
    }
}
