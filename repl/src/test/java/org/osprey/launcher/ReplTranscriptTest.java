package org.osprey.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * REPL sessions under {@code tests/repl/*.session}, typed into the REPL on a real JLine terminal (an xterm
 * whose keyboard and screen are held by the test) and compared with what the screen shows ({@link Vt}).
 *
 * A transcript is the screen after the banner line, with the keys marked: a line starting with the prompt
 * {@code osprey> } or the continuation prompt {@code    ...> } is typed after that prompt appears, then
 * Enter; if it ends with {@code ^C} or {@code ^D}, that key is pressed instead of Enter (the marker is not
 * on the screen: a cancelled line stays as typed, as on a tty). Inside a typed line,
 * {@code <TAB:text>} presses Tab and expects the completion to insert {@code text} ({@code <TAB>} when it
 * inserts nothing), and {@code <UP:text>} presses the up arrow and expects history to bring back {@code text};
 * the screen shows the line as it stands afterwards. A line that starts with {@code ^C} presses Ctrl-C while
 * an entry runs, once every line above it is on the screen; the terminal echoes the {@code ^C}, so the line
 * is on the screen as written ({@code ^Cinterrupted}). Everything else is what the REPL must print. A first
 * line {@code # exit N} gives the expected exit code (default 0); other {@code #} lines at the top are
 * comments.
 *
 * Every key is pressed only once the screen shows what the keys before it did, cursor included, so a
 * transcript never depends on timing: Ctrl-C in particular overtakes keys the line editor has not read yet.
 */
class ReplTranscriptTest {
    static final Path SESSIONS = Paths.get("..", "tests", "repl").toAbsolutePath().normalize();
    static final Duration WAIT = Duration.ofSeconds(60);
    static final String UP = "\u001bOA"; // xterm's up arrow in the keypad mode JLine turns on
    private static final Pattern MARKER = Pattern.compile("<(TAB|UP)(?::([^>]*))?>");

    @TestFactory
    Stream<DynamicTest> transcripts() throws IOException {
        List<Path> all;
        try (Stream<Path> s = Files.list(SESSIONS)) {
            all = s.filter(p -> p.toString().endsWith(".session")).sorted().toList();
        }
        if (all.isEmpty()) {
            fail("no transcripts under " + SESSIONS);
        }
        return all.stream().map(p -> DynamicTest.dynamicTest(p.getFileName().toString(), p.toUri(), () -> replay(p)));
    }

    /**
     * Keys to type once the screen (after the banner) starts with {@code waitFor} and, unless it is -1, the
     * cursor stands in that column.
     */
    record Step(String waitFor, int column, String keys) {
    }

    static void replay(Path transcript) throws Exception {
        List<String> lines = new ArrayList<>(List.of(Files.readString(transcript, StandardCharsets.UTF_8).split("\n", -1)));
        if (!lines.isEmpty() && lines.get(lines.size() - 1).isEmpty()) {
            lines.remove(lines.size() - 1);
        }
        int expectedExit = 0;
        while (!lines.isEmpty() && lines.get(0).startsWith("#")) {
            String directive = lines.remove(0);
            if (directive.startsWith("# exit ")) {
                expectedExit = Integer.parseInt(directive.substring("# exit ".length()).strip());
            }
        }
        List<String> screen = new ArrayList<>();
        List<Step> steps = new ArrayList<>();
        for (String line : lines) {
            if (line.startsWith("^C")) {
                steps.add(new Step(join(screen), -1, "\u0003"));
                screen.add(line);
                continue;
            }
            String prompt = line.startsWith(Repl.PROMPT) ? Repl.PROMPT : line.startsWith(Repl.CONTINUATION) ? Repl.CONTINUATION : null;
            if (prompt == null) {
                screen.add(line);
                continue;
            }
            String typed = line.substring(prompt.length());
            String key = "\r";
            if (typed.endsWith("^C")) {
                key = "\u0003";
                typed = typed.substring(0, typed.length() - 2);
            } else if (typed.endsWith("^D")) {
                key = "\u0004";
                typed = typed.substring(0, typed.length() - 2);
            }
            String above = join(screen) + (screen.isEmpty() ? "" : "\n");
            steps.add(new Step(above + prompt.stripTrailing(), -1, ""));
            StringBuilder shown = new StringBuilder();
            Matcher m = MARKER.matcher(typed);
            int at = 0;
            while (m.find()) {
                String text = typed.substring(at, m.start());
                shown.append(text);
                steps.add(new Step(stripEnd(above + prompt), -1, text));
                String expected = m.group(2) == null ? "" : m.group(2);
                if (m.group(1).equals("TAB")) {
                    steps.add(new Step(stripEnd(above + prompt + shown), prompt.length() + shown.length(), "\t"));
                    shown.append(expected);
                } else {
                    steps.add(new Step(stripEnd(above + prompt + shown), prompt.length() + shown.length(), UP));
                    shown.setLength(0);
                    shown.append(expected);
                }
                at = m.end();
            }
            shown.append(typed.substring(at));
            steps.add(new Step(stripEnd(above + prompt), -1, typed.substring(at)));
            steps.add(new Step(stripEnd(above + prompt + shown), prompt.length() + shown.length(), key));
            screen.add(prompt + shown);
        }
        String expected = join(screen);

        Path history = Files.createTempFile("osprey-history", ".txt");
        try (TerminalDriver d = new TerminalDriver("xterm-256color", Map.of(), history)) {
            d.await(s -> TerminalDriver.Screen.plain(s).contains("\n"), WAIT, "the banner");
            for (Step step : steps) {
                d.await(s -> shows(s, step), WAIT, "this" + (step.column() < 0 ? "" : " with the cursor in column " + step.column())
                                + " (before typing " + printable(step.keys()) + "):\n" + step.waitFor());
                d.type(step.keys());
            }
            int exit = d.join(WAIT);
            String actual = body(d.raw());
            assertEquals(expected, stripEnd(actual), "the screen of " + transcript.getFileName());
            assertEquals(expectedExit, exit, "the exit code of " + transcript.getFileName());
            assertTrue(TerminalDriver.Screen.plain(d.raw()).startsWith("Osprey "), "the banner");
        } finally {
            Files.deleteIfExists(history);
        }
    }

    private static boolean shows(String raw, Step step) {
        Vt vt = Vt.of(raw);
        String text = vt.text();
        int nl = text.indexOf('\n');
        String body = nl < 0 ? "" : text.substring(nl + 1);
        return body.startsWith(step.waitFor()) && (step.column() < 0 || vt.cursorColumn() == step.column());
    }

    static String printable(String keys) {
        return keys.replace("\r", "<Enter>").replace("\u0003", "<Ctrl-C>").replace("\u0004", "<Ctrl-D>").replace("\t", "<Tab>").replace(UP, "<Up>");
    }

    /** The screen after the banner line. */
    static String body(String raw) {
        String plain = TerminalDriver.Screen.plain(raw);
        int nl = plain.indexOf('\n');
        return nl < 0 ? "" : plain.substring(nl + 1);
    }

    static String join(List<String> lines) {
        return String.join("\n", lines.stream().map(ReplTranscriptTest::stripEnd).toList());
    }

    static String stripEnd(String s) {
        int end = s.length();
        while (end > 0 && (s.charAt(end - 1) == ' ' || s.charAt(end - 1) == '\n')) {
            end--;
        }
        return s.substring(0, end);
    }
}
