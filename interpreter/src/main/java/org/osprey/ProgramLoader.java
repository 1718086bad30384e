package org.osprey;

import java.util.ArrayList;
import java.util.List;

import com.oracle.truffle.api.CallTarget;
import com.oracle.truffle.api.source.Source;

import org.osprey.ast.Binding;
import org.osprey.ast.Program;
import org.osprey.nodes.ProgramRootNode;
import org.osprey.parser.Diagnostic;
import org.osprey.parser.ParseResult;
import org.osprey.parser.Parser;
import org.osprey.runtime.OspreySyntaxError;
import org.osprey.translate.NodeBuilder;
import org.osprey.types.Checker;
import org.osprey.types.Resolver;

/**
 * Source to runnable program: parse, resolve names, check types, build nodes (architecture.md). Any
 * problem stops here with every error found, so a program that does not check never starts. What a program
 * declares joins the context's environment only when it checks, so a failed REPL entry changes nothing.
 */
final class ProgramLoader {
    private ProgramLoader() {
    }

    static CallTarget load(OspreyLanguage language, OspreyContext context, Source source) {
        String text = source.getCharacters().toString();
        ParseResult parsed;
        try {
            parsed = Parser.parse(text);
        } catch (StackOverflowError e) {
            throw new OspreySyntaxError(source.getName() + ": the program is nested too deeply to parse", source, 0, 0, false);
        }
        List<Diagnostic> diagnostics = new ArrayList<>(parsed.diagnostics());
        if (!diagnostics.isEmpty()) {
            throw error(source, diagnostics, parsed.incomplete());
        }
        Program program = parsed.program();
        Resolver resolver;
        Checker checker;
        try {
            resolver = new Resolver(context.environment, diagnostics, text);
            resolver.resolveProgram(program);
            checker = new Checker(context.environment, diagnostics, text, resolver);
            checker.setTopLevel(resolver.declared);
            checker.checkProgram(program);
        } catch (StackOverflowError e) {
            throw new OspreySyntaxError(source.getName() + ": the program is nested too deeply to check", source, 0, 0, false);
        }
        if (!diagnostics.isEmpty()) {
            throw error(source, diagnostics, false);
        }
        checker.types.commit();
        for (Binding b : resolver.declared) {
            context.environment.values.put(b.name, b);
        }
        NodeBuilder builder = new NodeBuilder(language, source, name -> {
            for (Binding b : resolver.declared) {
                if (b.name.equals(name) && b.isFunction()) {
                    return b;
                }
            }
            return context.environment.values.get(name);
        }, context.functionValues);
        ProgramRootNode root = builder.program(program, source.isInteractive());
        return root.getCallTarget();
    }

    private static OspreySyntaxError error(Source source, List<Diagnostic> diagnostics, boolean incomplete) {
        diagnostics.sort((a, b) -> Integer.compare(a.start(), b.start()));
        Diagnostic first = diagnostics.get(0);
        return new OspreySyntaxError(DiagnosticFormatter.format(source, diagnostics), source, first.start(),
                        Math.max(0, first.end() - first.start()), incomplete);
    }
}
