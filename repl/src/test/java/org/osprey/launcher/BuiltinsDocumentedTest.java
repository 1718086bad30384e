package org.osprey.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.Source;
import org.junit.jupiter.api.Test;

/**
 * docs/language.md's "Builtins at a glance" names every builtin function of the core and of the HTTP and
 * WebSocket modules, and no function that is not one. byteLength, codePointWidth, fromCodePoint, trimStart,
 * trimEnd, groupBy and foldEntries were in no page of the docs.
 */
class BuiltinsDocumentedTest {
    private static final Path LANGUAGE_MD = Path.of("..", "docs", "language.md").toAbsolutePath().normalize();

    @Test
    void theTableOfBuiltinsNamesEveryBuiltinAndNoOther() throws Exception {
        Set<String> builtins = new TreeSet<>();
        try (Context context = Context.newBuilder("osprey").option("engine.WarnInterpreterOnly", "false").build()) {
            // The REPL's completion query: every name in scope, which in a fresh context is the builtins, the
            // constructors and the record types (capitalised).
            String names = context.eval(Source.newBuilder("osprey", "names", "names").mimeType("application/x-osprey-query").build()).asString();
            for (String name : names.split("\n")) {
                if (Character.isLowerCase(name.charAt(0))) {
                    builtins.add(name);
                }
            }
        }
        String doc = Files.readString(LANGUAGE_MD, StandardCharsets.UTF_8);
        int start = doc.indexOf("\n## Builtins at a glance\n");
        org.junit.jupiter.api.Assertions.assertTrue(start >= 0, "docs/language.md has no section 'Builtins at a glance'");
        int end = doc.indexOf("\n## ", start + 1);
        Set<String> documented = new TreeSet<>();
        for (String line : doc.substring(start, end).split("\n")) {
            String[] cells = line.split("\\|");
            if (cells.length > 2 && !line.startsWith("| what") && !line.startsWith("| ---")) {
                Matcher name = Pattern.compile("`([a-z][A-Za-z0-9]*)`").matcher(cells[2]);
                while (name.find()) {
                    documented.add(name.group(1));
                }
            }
        }
        documented.removeAll(Set.of("spawn", "select"));
        assertEquals(builtins, documented);
    }
}
