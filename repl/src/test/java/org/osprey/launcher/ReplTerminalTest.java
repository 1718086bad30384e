package org.osprey.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a transcript cannot say: the colours of the highlighting, the candidates listed for an ambiguous
 * completion, and history that outlives a session. Driven through the same real JLine terminal as the
 * transcripts, with a temporary home directory for the history.
 */
class ReplTerminalTest {
    static final Duration WAIT = ReplTranscriptTest.WAIT;

    @TempDir
    Path home;

    private Path history() {
        return Repl.historyFile(null, home.toString());
    }

    /** Waits until the last line starting with the prompt reads {@code line} with the cursor at its end. */
    private static Vt awaitLine(TerminalDriver d, String line) throws InterruptedException {
        String raw = d.await(s -> {
            Vt vt = Vt.of(s);
            int row = vt.lastLineStartingWith(Repl.PROMPT);
            return row >= 0 && vt.line(row).equals(line.stripTrailing()) && vt.cursorRow() == row && vt.cursorColumn() == line.length();
        }, WAIT, "the line '" + line + "' with the cursor at its end");
        return Vt.of(raw);
    }

    private static void quit(TerminalDriver d) throws InterruptedException {
        d.type("\u0004");
        assertEquals(0, d.join(WAIT), "Ctrl-D on an empty line exits with 0");
    }

    @Test
    void anEntryReadsLinesItsOwnWayAndCtrlCStopsItWhileItWaits() throws Exception {
        try (TerminalDriver d = new TerminalDriver("xterm-256color", Map.of(), history())) {
            awaitLine(d, Repl.PROMPT);
            run(d, "readLine()");
            d.type("it's \"quoted\"\r"); // a line of input is taken as it is: no quotes to balance
            d.await(s -> Vt.of(s).text().contains("Success(\"it's \\\"quoted\\\"\") : Result<string, string>"), WAIT, "the line read");
            awaitLine(d, Repl.PROMPT);
            run(d, "input()");
            d.type("12\u007f3\r"); // edited as an entry is: Backspace takes the 2 back
            d.await(s -> Vt.of(s).text().contains("\n13 : int"), WAIT, "the int read");
            awaitLine(d, Repl.PROMPT);
            run(d, "input()");
            d.type("\u0003");
            d.await(s -> Vt.of(s).text().contains("interrupted"), WAIT, "the entry stopped by Ctrl-C while it waits for a line");
            awaitLine(d, Repl.PROMPT);
            d.type("42\r"); // every key reaches the prompt: none is left to the stopped read
            d.await(s -> Vt.of(s).text().contains(Repl.PROMPT + "42\n42 : int"), WAIT, "the next entry whole");
            awaitLine(d, Repl.PROMPT);
            quit(d);
        }
    }

    /**
     * A Ctrl-C typed together with Enter (in one write, as a tool sends keys, or a few milliseconds after it)
     * stops the entry: the line editor, which reads Ctrl-C as a key, left it among the keys as a character,
     * so the entry spun on, and the Ctrl-C then abandoned the next prompt's line. Keys typed with Enter
     * without a Ctrl-C still go to the next lines read, here the entry's readLine() and then the prompt.
     */
    @Test
    void aCtrlCTypedWithEnterStopsTheEntry() throws Exception {
        try (TerminalDriver d = new TerminalDriver("xterm-256color", Map.of(), history())) {
            awaitLine(d, Repl.PROMPT);
            d.type("fn spin(n: int) -> int = spin(n + 1)\r");
            d.await(s -> Vt.of(s).text().contains("spin : (int) -> int"), WAIT, "spin declared");
            awaitLine(d, Repl.PROMPT);
            d.type("spin(0)\r\u0003");
            d.await(s -> Vt.of(s).text().contains("^Cinterrupted"), WAIT, "the entry stopped by the Ctrl-C typed with its Enter");
            awaitLine(d, Repl.PROMPT);
            d.type("readLine()\rtyped with Enter\r40 + 2\r");
            d.await(s -> Vt.of(s).text().contains("Success(\"typed with Enter\") : Result<string, string>"), WAIT, "the keys typed with Enter read by the entry");
            d.await(s -> Vt.of(s).text().contains("Success(42) : Result<int, MathError>"), WAIT, "the line after them, the next entry");
            awaitLine(d, Repl.PROMPT);
            d.type(":type 1\r\u0003"); // a command that runs nothing: the Ctrl-C is the next prompt's, which it abandons
            d.await(s -> Vt.of(s).text().contains("\n1 : int\n"), WAIT, "the type");
            awaitLine(d, Repl.PROMPT);
            assertTrue(!Vt.of(d.raw()).text().contains("^C1 : int"), "no ^C before the command's answer:\n" + Vt.of(d.raw()).text());
            quit(d);
        }
    }

    /** Types an entry and Enter, and waits until the REPL took it (the cursor left the prompt's line). */
    private static void run(TerminalDriver d, String entry) throws InterruptedException {
        d.type(entry + "\r");
        d.await(s -> Vt.of(s).cursorRow() > Vt.of(s).lastLineStartingWith(Repl.PROMPT), WAIT, "the entry '" + entry + "' running");
    }

    @Test
    void highlightingColoursWhatTheLexerSees() throws Exception {
        try (TerminalDriver d = new TerminalDriver("xterm-256color", Map.of(), history())) {
            awaitLine(d, Repl.PROMPT);
            String entry = "let total: Count = 42 + \"items\" // why";
            d.type(entry);
            Vt vt = awaitLine(d, Repl.PROMPT + entry);
            int row = vt.cursorRow();
            record Expect(String text, String style) {
            }
            for (Expect e : List.of(new Expect("let", "blue bold"), new Expect("total", "plain"), new Expect("Count", "magenta"), new Expect("42", "cyan"),
                            new Expect("+", "plain"), new Expect("\"items\"", "green"), new Expect("// why", "bright black italic"))) {
                int at = Repl.PROMPT.length() + entry.indexOf(e.text());
                for (int c = at; c < at + e.text().length(); c++) {
                    if (entry.charAt(c - Repl.PROMPT.length()) != ' ') {
                        assertEquals(e.style(), vt.styleAt(row, c).toString(), "the style of '" + e.text() + "' in " + entry);
                    }
                }
            }
            d.type("\u0003"); // Ctrl-C clears the line
            awaitLine(d, Repl.PROMPT);
            d.type("1 +* 2");
            vt = awaitLine(d, Repl.PROMPT + "1 +* 2");
            assertEquals("plain", vt.styleAt(vt.cursorRow(), Repl.PROMPT.length() + 3).toString(), "an operator the parser would reject is still just lexed");
            d.type("\u0003");
            awaitLine(d, Repl.PROMPT);
            quit(d);
        }
    }

    @Test
    void tabListsTheCandidatesOfAnAmbiguousName() throws Exception {
        try (TerminalDriver d = new TerminalDriver("xterm-256color", Map.of(), history())) {
            awaitLine(d, Repl.PROMPT);
            d.type("websocketServerOn\t");
            String screen = TerminalDriver.Screen.plain(d.await(s -> Vt.of(s).text().contains("websocketServerOnOpen"), WAIT, "the candidates"));
            for (String name : List.of("websocketServerOnClose", "websocketServerOnMessage", "websocketServerOnOpen")) {
                assertTrue(screen.contains(name), "the candidates include " + name + ":\n" + screen);
            }
            d.type("Op\t(");
            awaitLine(d, Repl.PROMPT + "websocketServerOnOpen(");
            d.type("\u0003");
            awaitLine(d, Repl.PROMPT);
            quit(d);
        }
    }

    /** Ctrl-C while the list of candidates waits for a second Tab abandons the line, as it does elsewhere. */
    @Test
    void ctrlCRightAfterTheCandidatesAbandonsTheLine() throws Exception {
        try (TerminalDriver d = new TerminalDriver("xterm-256color", Map.of(), history())) {
            awaitLine(d, Repl.PROMPT);
            d.type("websocketServerOn\t");
            d.await(s -> Vt.of(s).text().contains("websocketServerOnOpen"), WAIT, "the candidates");
            d.type("\u0003");
            awaitLine(d, Repl.PROMPT);
            d.type("42\r");
            d.await(s -> Vt.of(s).text().contains(Repl.PROMPT + "42\n42 : int"), WAIT, "the next entry on a line of its own");
            awaitLine(d, Repl.PROMPT);
            quit(d);
        }
    }

    /** Text pasted with Windows line breaks (a bracketed paste of "\r\n") is one line per line, as typed. */
    @Test
    void aPasteWithWindowsLineBreaksKeepsItsLines() throws Exception {
        try (TerminalDriver d = new TerminalDriver("xterm-256color", Map.of(), history())) {
            awaitLine(d, Repl.PROMPT);
            d.type("\u001b[200~let a = 1\r\nlet b: int = \"s\"\u001b[201~");
            d.await(s -> Vt.of(s).text().contains(Repl.CONTINUATION + "let b: int = \"s\""), WAIT, "the pasted lines");
            d.type("\r");
            String text = Vt.of(d.await(s -> Vt.of(s).text().contains("type mismatch"), WAIT, "the error")).text();
            assertTrue(text.contains(Repl.PROMPT + "let a = 1\n" + Repl.CONTINUATION + "let b: int = \"s\"\n<repl>:2:14: "),
                            "two lines, the error on the second:\n" + text);
            awaitLine(d, Repl.PROMPT);
            quit(d);
        }
    }

    @Test
    void historyIsKeptInTheHomeDirectoryAndRecalledWithTheUpArrow() throws Exception {
        Path file = history();
        assertEquals(home.resolve(".osprey_history"), file);
        try (TerminalDriver d = new TerminalDriver("xterm-256color", Map.of(), file)) {
            awaitLine(d, Repl.PROMPT);
            d.type("40 + 2\r");
            d.await(s -> Vt.of(s).text().contains("Success(42) : Result<int, MathError>"), WAIT, "the first session's answer");
            quit(d);
        }
        assertTrue(Files.readString(file, StandardCharsets.UTF_8).contains("40 + 2"), "the history file holds the entry");
        // Entries can hold what others should not read (a token in a URL): only its owner may read it, as bash's,
        // zsh's and node's history. JLine made it with the umask's permissions (rw-r--r-- here).
        assertEquals(java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"), Files.getPosixFilePermissions(file));

        try (TerminalDriver d = new TerminalDriver("xterm-256color", Map.of(), file)) {
            awaitLine(d, Repl.PROMPT);
            d.type(ReplTranscriptTest.UP);
            awaitLine(d, Repl.PROMPT + "40 + 2");
            d.type("\r");
            String screen = TerminalDriver.Screen.plain(d.await(s -> Vt.of(s).text().endsWith("MathError>\nosprey>"), WAIT, "the recalled entry's answer and the next prompt"));
            assertEquals("osprey> 40 + 2\nSuccess(42) : Result<int, MathError>\nosprey>", ReplTranscriptTest.stripEnd(ReplTranscriptTest.body(d.raw())),
                            "the second session:\n" + screen);
            quit(d);
        }
    }

    /**
     * The cursor keys as the terminal sends them outside line editing (ESC [ A, where JLine's keypad mode gives
     * ESC O A): an Up pressed while an entry ran reached the next prompt as the text "[A".
     */
    @Test
    void cursorKeysInTheTerminalsNormalModeEditTheLine() throws Exception {
        try (TerminalDriver d = new TerminalDriver("xterm-256color", Map.of(), history())) {
            awaitLine(d, Repl.PROMPT);
            d.type("40 + 2\r");
            d.await(s -> Vt.of(s).text().contains("Success(42) : Result<int, MathError>"), WAIT, "the answer");
            awaitLine(d, Repl.PROMPT);
            d.type("\u001b[A");
            awaitLine(d, Repl.PROMPT + "40 + 2");
            d.type("\u001b[D1\u001b[H(\u001b[F) * 2");
            awaitLine(d, Repl.PROMPT + "(40 + 12) * 2");
            d.type("\u001b[C\u001b[B\r"); // Right at the end and Down below the newest entry change nothing
            d.await(s -> Vt.of(s).text().contains("Success(104) : Result<int, MathError>"), WAIT, "the edited entry's answer");
            awaitLine(d, Repl.PROMPT);
            quit(d);
        }
    }

    /**
     * Keys typed while an entry runs go to the next prompt, and are shown there once: the terminal echoed them
     * where the entry's output was as well ('1 + 1osprey> 1 + 1'). The entry here waits for the test to write
     * to a named pipe, once the terminal holds the keys typed after it began.
     */
    @Test
    void keysTypedWhileAnEntryRunsAreShownOnceAtTheNextPrompt() throws Exception {
        keysTypedAheadShownOnce(false);
    }

    /** The same after Ctrl-Z and fg in the middle of the entry: the shell gave the terminal back with its echo on. */
    @Test
    void keysTypedAfterCtrlZAndFgAreShownOnceAtTheNextPrompt() throws Exception {
        keysTypedAheadShownOnce(true);
    }

    private void keysTypedAheadShownOnce(boolean suspended) throws Exception {
        Path pipe = home.resolve("go");
        assertEquals(0, new ProcessBuilder("mkfifo", pipe.toString()).inheritIO().start().waitFor(), "mkfifo");
        try (TerminalDriver d = new TerminalDriver("xterm-256color", Map.of(), history())) {
            awaitLine(d, Repl.PROMPT);
            d.type("let said = { print(\"waiting\"); readFile(\"" + pipe + "\") }\r");
            d.await(s -> Vt.of(s).text().contains("\nwaiting"), WAIT, "the entry running");
            if (suspended) {
                d.echo(true);
                d.signal(org.jline.terminal.Terminal.Signal.CONT);
            }
            d.type("1 + 1");
            long end = System.nanoTime() + WAIT.toNanos();
            while (d.keysUnread() < 5) {
                assertTrue(System.nanoTime() < end, "the terminal never held the keys typed");
                TimeUnit.MILLISECONDS.sleep(5); // polled: the terminal tells no one when it takes a key
            }
            Files.writeString(pipe, "go");
            d.await(s -> Vt.of(s).text().contains("said : Result<string, string> = Success(\"go\")"), WAIT, "the entry's end");
            Vt vt = awaitLine(d, Repl.PROMPT + "1 + 1");
            assertTrue(!vt.text().contains("1 + 1" + Repl.PROMPT) && vt.text().split("1 \\+ 1", -1).length == 2,
                            "the keys shown once, after the prompt:\n" + vt.text());
            d.type("\r");
            d.await(s -> Vt.of(s).text().contains("Success(2) : Result<int, MathError>"), WAIT, "the entry typed ahead, run");
            awaitLine(d, Repl.PROMPT);
            quit(d);
        }
    }

    /** A session on the history file {@code file} that answers 40 + 2 and quits: what the screen showed. */
    private static String answerOnce(Path file) throws Exception {
        try (TerminalDriver d = new TerminalDriver("xterm-256color", Map.of(), file)) {
            awaitLine(d, Repl.PROMPT);
            d.type("40 + 2\r");
            d.await(s -> Vt.of(s).text().contains("Success(42) : Result<int, MathError>"), WAIT, "an answer");
            quit(d);
            return Vt.of(d.raw()).text();
        }
    }

    @Test
    void aHistoryFileThatCannotBeReadCostsOnlyTheHistory() throws Exception {
        // Before, JLine's loading threw: a Java stack trace, and the session ended before its first prompt.
        Path garbage = home.resolve("garbage_history");
        byte[] bytes = {(byte) 0xff, (byte) 0xfe, ' ', 'x', '\n'};
        Files.write(garbage, bytes);
        Path directory = Files.createDirectory(home.resolve("a_directory"));
        for (Path file : new Path[] {garbage, directory}) {
            String text = answerOnce(file);
            assertTrue(text.contains(file == garbage ? "osprey: cannot read the history in " + garbage + " (it is not UTF-8 text), so this session keeps no history"
                            : "osprey: " + directory + " is not a file, so this session keeps no history"), text);
            assertTrue(!text.contains("Exception"), text);
        }
        assertTrue(java.util.Arrays.equals(bytes, Files.readAllBytes(garbage)), "the file is left as it was");
    }

    /**
     * A history file in directories that do not exist yet: JLine makes them, so the entries are kept. The
     * session said it could not write there (and kept them all the same); below a file, where it cannot, it
     * said so only at the end; now once, at the start.
     */
    @Test
    void aHistoryFileInDirectoriesStillToBeMadeIsKept() throws Exception {
        Path file = home.resolve("state").resolve("osprey").resolve("history");
        String text = answerOnce(file);
        assertTrue(!text.contains("osprey:"), text);
        assertTrue(Files.readString(file, StandardCharsets.UTF_8).contains("40 + 2"), "the history file holds the entry");
        assertEquals(java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"), Files.getPosixFilePermissions(file));

        Path belowAFile = file.resolve("history");
        text = answerOnce(belowAFile);
        assertTrue(text.startsWith("osprey: cannot write the history to " + belowAFile + ", so this session's entries are not kept\n"), text);
        assertEquals(1, text.split("osprey:", -1).length - 1, "said once, not again at the end:\n" + text);
    }

    /**
     * A history file far longer than JLine lets it grow: the first entry's Enter took minutes (JLine trimmed
     * the file comparing every entry with every other). It is cut to the newest entries before the session
     * reads it (where it is, when the history is a link to it), and the up arrow still brings back the newest.
     */
    @Test
    void aHugeHistoryFileIsCutToItsNewestEntries() throws Exception {
        Path file = history();
        Path kept = Files.createDirectory(home.resolve("dotfiles")).resolve("osprey_history");
        Files.createSymbolicLink(file, kept); // kept elsewhere: the link stays a link
        StringBuilder lines = new StringBuilder();
        int old = 100_000;
        for (int i = 0; i < old; i++) {
            lines.append(1_700_000_000_000L + i).append(":let v").append(i).append(" = ").append(i).append('\n');
        }
        Files.writeString(file, lines);
        try (TerminalDriver d = new TerminalDriver("xterm-256color", Map.of(), file)) {
            awaitLine(d, Repl.PROMPT);
            d.type("40 + 2\r");
            d.await(s -> Vt.of(s).text().contains("Success(42) : Result<int, MathError>"), Duration.ofSeconds(20), "the answer");
            awaitLine(d, Repl.PROMPT);
            d.type(ReplTranscriptTest.UP + ReplTranscriptTest.UP);
            awaitLine(d, Repl.PROMPT + "let v" + (old - 1) + " = " + (old - 1));
            d.type("\u0003");
            d.await(s -> Vt.of(s).text().endsWith("let v" + (old - 1) + " = " + (old - 1) + "\nosprey>"), WAIT, "a fresh prompt");
            quit(d);
        }
        assertTrue(Files.isSymbolicLink(file), "the link is still a link");
        List<String> entries = Files.readAllLines(kept, StandardCharsets.UTF_8);
        assertEquals(Repl.HISTORY_FILE_ENTRIES + 1, entries.size(), "the newest entries and the new one");
        assertTrue(entries.get(0).endsWith(":let v" + (old - Repl.HISTORY_FILE_ENTRIES) + " = " + (old - Repl.HISTORY_FILE_ENTRIES)), entries.get(0));
        assertTrue(entries.get(entries.size() - 1).endsWith(":40 + 2"), entries.get(entries.size() - 1));
    }

    /**
     * A history whose last line a crash cut short (digits without the rest, or zero bytes): JLine refused
     * the whole file, and the session said it was not an osprey history and kept none. Cut after the ':'
     * (a line that looks whole, without its line break), JLine took it for an entry and wrote the next one
     * on the same line. The torn line is dropped and the rest is the history.
     */
    @Test
    void aHistoryFileWhoseLastLineWasCutShortKeepsTheRest() throws Exception {
        for (String torn : List.of("17965214", "\0\0\0\0", "1796521464516:let cu")) {
            Path file = history();
            Files.writeString(file, "1796521464514:40 + 2\n1796521464515:let kept = 1\n" + torn);
            try (TerminalDriver d = new TerminalDriver("xterm-256color", Map.of(), file)) {
                awaitLine(d, Repl.PROMPT);
                d.type(ReplTranscriptTest.UP);
                awaitLine(d, Repl.PROMPT + "let kept = 1");
                d.type("\u0003");
                d.await(s -> Vt.of(s).text().endsWith("let kept = 1\nosprey>"), WAIT, "a fresh prompt");
                quit(d);
                String text = Vt.of(d.raw()).text();
                assertTrue(!text.contains("osprey:"), text);
            }
            assertEquals("1796521464514:40 + 2\n1796521464515:let kept = 1\n", Files.readString(file), "the file without the torn line");
        }
    }

    /** A shell's history named by mistake: JLine read none of it and then wrote its own over it at the end. */
    @Test
    void aHistoryFileOfAnotherProgramIsLeftAsItIs() throws Exception {
        Path shells = home.resolve("bash_history");
        String lines = "echo hello\nls -la\n";
        Files.writeString(shells, lines);
        String text = answerOnce(shells);
        assertTrue(text.contains("osprey: " + shells + " is not an osprey history (its lines do not start with a time), so it is left as it is"
                        + " and this session keeps no history"), text);
        assertEquals(lines, Files.readString(shells), "the file is left as it was");
    }

    @Test
    void theHistoryFileComesFromOspreyHistoryOrTheHome() {
        assertEquals(Path.of("/somewhere/else"), Repl.historyFile("/somewhere/else", home.toString()));
        assertNull(Repl.historyFile("", home.toString()), "an empty OSPREY_HISTORY keeps no history");
        assertEquals(home.resolve(".osprey_history"), Repl.historyFile(null, home.toString()));
    }

    /**
     * A WebSocket handler that prints while the user is typing at the prompt: its line goes above the
     * prompt, and the prompt comes back with what was typed, the cursor where it was. Before, the line
     * landed in the middle of the one being edited.
     */
    @Test
    void whatAHandlerPrintsAtThePromptGoesAboveTheLineBeingTyped() throws Exception {
        try (TerminalDriver d = new TerminalDriver("xterm-256color", Map.of(), history())) {
            awaitLine(d, Repl.PROMPT);
            d.type("fn heard(id: int, message: string) -> Result<Success, string> = {\r");
            d.type("print(\"heard ${message}\")\r");
            d.type("Success(())\r");
            d.type("}\r");
            d.type("let server = websocketCreateServer(port: 0, address: \"127.0.0.1\", path: \"/above\") ?: -1\r");
            d.type("websocketServerOnMessage(serverID: server, messageHandler: heard)\r");
            d.type("websocketServerListen(serverID: server)\r");
            d.type("websocketServerPort(serverID: server)\r");
            Pattern portLine = Pattern.compile("Success\\((\\d+)\\) : Result<int, string>");
            Matcher m = portLine.matcher(TerminalDriver.Screen.plain(d.await(s -> portLine.matcher(Vt.of(s).text()).find(), WAIT, "the port")));
            assertTrue(m.find());
            awaitLine(d, Repl.PROMPT);
            WebSocket client = HttpClient.newHttpClient().newWebSocketBuilder()
                            .buildAsync(URI.create("ws://127.0.0.1:" + m.group(1) + "/above"), new WebSocket.Listener() {
                            }).get(WAIT.toSeconds(), TimeUnit.SECONDS);
            try {
                d.type("let x = 4");
                awaitLine(d, Repl.PROMPT + "let x = 4");
                client.sendText("hello", true).get(WAIT.toSeconds(), TimeUnit.SECONDS);
                Vt vt = Vt.of(d.await(s -> {
                    Vt v = Vt.of(s);
                    int row = v.lastLineStartingWith(Repl.PROMPT);
                    return row > 0 && v.line(row - 1).equals("heard hello") && v.line(row).equals(Repl.PROMPT + "let x = 4")
                                    && v.cursorRow() == row && v.cursorColumn() == (Repl.PROMPT + "let x = 4").length();
                }, WAIT, "the handler's line above the prompt, and the prompt with what was typed"));
                assertTrue(!vt.text().contains("let x = 4heard"), "the handler's line is not inside the typed one:\n" + vt.text());
                d.type("2\r");
                d.await(s -> Vt.of(s).text().contains("x : int = 42"), WAIT, "the line as typed, completed");
            } finally {
                client.sendClose(WebSocket.NORMAL_CLOSURE, "").get(WAIT.toSeconds(), TimeUnit.SECONDS);
            }
            d.type("websocketStopServer(serverID: server)\r");
            awaitLine(d, Repl.PROMPT);
            quit(d);
        }
    }

    /** Ctrl-D ends the input of the entry reading it, and a later entry reads lines again. */
    @Test
    void ctrlDEndsTheInputOfOneEntryOnly() throws Exception {
        try (TerminalDriver d = new TerminalDriver("xterm-256color", Map.of(), history())) {
            awaitLine(d, Repl.PROMPT);
            run(d, "readLine()");
            d.type("\u0004");
            d.await(s -> Vt.of(s).text().contains("Error(\"end of input\") : Result<string, string>"), WAIT, "the end of the input");
            awaitLine(d, Repl.PROMPT);
            run(d, "readLine()");
            d.type("again\r");
            d.await(s -> Vt.of(s).text().contains("Success(\"again\") : Result<string, string>"), WAIT, "a line read after the end");
            awaitLine(d, Repl.PROMPT);
            quit(d);
        }
    }

    /** Ctrl-C while an entry waits for a line of standard input (input(), readLine()) stops the entry; the session goes on. */
    @Test
    void ctrlCStopsAnEntryWaitingForInput() throws Exception {
        try (TerminalDriver d = new TerminalDriver("xterm-256color", Map.of(), history())) {
            awaitLine(d, Repl.PROMPT);
            d.type("{\r");
            d.type("print(\"reading\")\r");
            d.type("input()\r");
            d.type("}\r");
            d.await(s -> Vt.of(s).text().contains("\nreading"), WAIT, "the entry's output before it reads");
            d.type("\u0003");
            d.await(s -> Vt.of(s).text().contains("interrupted"), WAIT, "the entry interrupted");
            awaitLine(d, Repl.PROMPT);
            d.type("{\r");
            d.type("print(\"reading a line\")\r");
            d.type("readLine()\r");
            d.type("}\r");
            d.await(s -> Vt.of(s).text().contains("\nreading a line"), WAIT, "the second entry's output before it reads");
            d.type("\u0003");
            d.await(s -> Vt.of(s).text().split("interrupted", -1).length == 3, WAIT, "readLine() interrupted too");
            awaitLine(d, Repl.PROMPT);
            d.type("\"the session goes on\"\r");
            d.await(s -> Vt.of(s).text().contains("\"the session goes on\" : string"), WAIT, "the next entry's value");
            awaitLine(d, Repl.PROMPT);
            quit(d);
        }
    }

    /**
     * A dumb terminal whose keys JLine reads itself (this one; a real tty's Ctrl-D is the kernel's end of input,
     * tests/launcher/terminal_test.py): Ctrl-D ends the line it is pressed on once, with no blank line after it.
     */
    @Test
    void ctrlDOnADumbTerminalEndsItsLineOnce() throws Exception {
        try (TerminalDriver d = new TerminalDriver("dumb", Map.of(), history())) {
            d.await(s -> s.endsWith("\n" + Repl.PROMPT), WAIT, "the first prompt");
            d.type("[1,\r");
            d.await(s -> s.endsWith("\n" + Repl.CONTINUATION), WAIT, "the continuation prompt");
            d.type("\u0004");
            String text = d.await(s -> Vt.of(s).text().contains("<repl>:") && s.endsWith("\n" + Repl.PROMPT), WAIT, "the error and the next prompt");
            assertTrue(Vt.of(text).text().contains("\n" + Repl.CONTINUATION.stripTrailing() + "\n<repl>:1:4: "),
                            "the error on a line of its own:\n" + Vt.of(text).text());
            d.type("\u0004");
            assertEquals(0, d.join(WAIT), "Ctrl-D on an empty line exits with 0");
            String end = d.raw().replace("\r", "");
            assertTrue(end.endsWith("\n" + Repl.PROMPT + "\n"), "the line of the last prompt ended once: " + end.substring(Math.max(0, end.length() - 40)).replace("\n", "\\n"));
        }
    }
}
