package org.osprey;

import java.util.ArrayList;
import java.util.List;

import com.oracle.truffle.api.CompilerDirectives.TruffleBoundary;
import com.oracle.truffle.api.interop.InteropException;
import com.oracle.truffle.api.interop.InteropLibrary;
import com.oracle.truffle.api.interop.UnknownIdentifierException;
import com.oracle.truffle.api.source.Source;

import org.osprey.ast.Expr;
import org.osprey.ast.Program;
import org.osprey.ast.Stmt;
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
        libraries.add(nfi(context, "default"));
        InteropLibrary interop = InteropLibrary.getUncached();
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
                Object signature = nfi(context, signature(x));
                x.linked = interop.invokeMember(signature, "bind", symbol);
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

    /** The NFI signature of an extern function: {@code (SINT64, STRING):DOUBLE}. */
    private static String signature(Expr.Extern x) {
        return "(" + String.join(", ", x.types.stream().map(t -> t.nfi).toList()) + "):" + x.result.nfi;
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
