package org.osprey.launcher;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.jline.keymap.KeyMap;
import org.jline.nativ.OSInfo;
import org.jline.reader.Binding;
import org.jline.reader.Candidate;
import org.jline.builtins.Completers;
import org.jline.reader.Completer;
import org.jline.reader.EOFError;
import org.jline.reader.EndOfFileException;
import org.jline.reader.Highlighter;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.ParsedLine;
import org.jline.reader.Reference;
import org.jline.reader.Parser;
import org.jline.reader.UserInterruptException;
import org.jline.reader.impl.DefaultParser;
import org.jline.reader.impl.LineReaderImpl;
import org.jline.reader.impl.history.DefaultHistory;
import org.jline.terminal.Attributes;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import org.jline.utils.AttributedString;
import org.jline.utils.AttributedStringBuilder;
import org.jline.utils.AttributedStyle;
import org.jline.utils.InfoCmp.Capability;

import org.osprey.tooling.SourceInfo;

/**
 * The interactive {@code osprey} session (GHCi and the Scala 3 REPL are the models). On a terminal it reads
 * entries with JLine: line editing, history in ~/.osprey_history, completion, highlighting from the lexer,
 * and entries that continue over several lines while the parser says they are incomplete. Without a
 * terminal (piped input) it reads the same entries silently and exits non-zero if any failed.
 */
final class Repl {
    static final String PROMPT = "osprey> ";
    static final String CONTINUATION = "   ...> ";
    static final List<String> COMMANDS = List.of(":help", ":type", ":load", ":reset", ":quit");

    private final Session session;
    private final PrintStream out;
    private final PrintStream err;
    private boolean anyFailed;
    private boolean quit;
    /** Flushes what the terminal itself wrote (its echo of ^C) before the REPL writes more. */
    private final Runnable flushTerminal;

    Repl(Session session, PrintStream out, PrintStream err) {
        this(session, out, err, () -> {
        });
    }

    /** Echoes of ^C that the terminal's signal handler has begun and not yet written ({@link #caretPending}). */
    private int caretsPending;
    private final Object carets = new Object();

    /** The signal handler begins (true) or has ended (false) writing the echo of a Ctrl-C. */
    void caretPending(boolean begun) {
        synchronized (carets) {
            caretsPending += begun ? 1 : -1;
            carets.notifyAll();
        }
    }

    /** Waits (at most a second) until the echo of every Ctrl-C begun is written, so "interrupted" and the prompt come after it. */
    private void awaitCarets() {
        long end = System.nanoTime() + 1_000_000_000L;
        synchronized (carets) {
            long left;
            while (caretsPending > 0 && (left = end - System.nanoTime()) > 0) {
                try {
                    carets.wait(Math.max(1, left / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    Repl(Session session, PrintStream out, PrintStream err, Runnable flushTerminal) {
        this.session = session;
        this.out = out;
        this.err = err;
        this.flushTerminal = flushTerminal;
    }

    /**
     * JLine logs what it works around (no terminal description for an empty TERM, a history it cannot save)
     * with Java stack traces; the REPL says what matters in its own words. The logger is held here, since
     * java.util.logging keeps loggers weakly and a collected one forgets its level.
     */
    private static final java.util.logging.Logger JLINE_LOG = java.util.logging.Logger.getLogger("org.jline");

    static {
        JLINE_LOG.setLevel(java.util.logging.Level.OFF);
    }

    /** {@code osprey} with no file on a terminal: JLine on the system terminal. */
    static int start(Map<String, String> options, PrintStream out, PrintStream err) {
        TerminalBuilder builder = TerminalBuilder.builder().system(true).name("osprey");
        String providers = terminalProviders(System.getProperty(JLINE_NATIVE_PROPERTY), OSInfo.getNativeLibFolderPathForCurrentOS());
        if (providers != null) {
            builder.providers(providers);
        }
        try (Terminal terminal = builder.build()) {
            if (terminal.getType().startsWith(Terminal.TYPE_DUMB)) {
                interruptsFromTheKernel(terminal);
            } else if (terminal.getWidth() <= 0 || terminal.getHeight() <= 0) {
                // A pseudo-terminal whose size nobody set is 0 x 0 (a new pty's default): JLine then drew the
                // prompt as ">...." and echoed no key. The usual 80 x 24 instead, until the window says otherwise.
                terminal.setSize(new org.jline.terminal.Size(80, 24));
            }
            return interactive(terminal, options, historyFile());
        } catch (IOException e) {
            err.println("osprey: cannot open the terminal: " + e.getMessage());
            return 1;
        }
    }

    /** How long a key held by the terminal takes at most to be read: one that takes longer came later. */
    private static final long TYPED_AFTER_NANOS = 25_000_000L;

    /**
     * Drops the keys typed before a Ctrl-C that stops an entry, as the kernel's flush did before the session
     * turned it off ({@link #echoOff}): a line typed ahead and then thought better of does not run. What the
     * terminal holds when the signal is handled is taken to be typed before it: a key that is there at once
     * (JLine's read of the terminal asks it for a key and waits up to a tenth of a second). A key that takes
     * longer to come was typed after the Ctrl-C and stays for the next prompt (reading until a tenth of a
     * second passed with no key dropped the next entry too, typed at once). The terminal's line mode is off
     * meanwhile, or an unfinished line could not be read (a read in line mode waits for its end); the REPL
     * waits for this before it reads the next entry ({@link #awaitCarets}).
     */
    private static void dropTypeAhead(Terminal terminal) {
        Attributes before = keysMode(terminal);
        try {
            for (int i = 0; i < 1 << 16; i++) {
                long asked = System.nanoTime();
                if (terminal.reader().peek(1L) < 0 || System.nanoTime() - asked > TYPED_AFTER_NANOS) {
                    break; // none left, or one typed after the Ctrl-C: kept
                }
                terminal.reader().read(1L);
            }
        } catch (IOException e) {
            // the terminal is gone: nothing to drop
        } finally {
            terminal.setAttributes(before);
        }
    }

    /** Switches the terminal's line mode off for a read of single keys that waits a tenth of a second at most; returns its attributes before. */
    private static Attributes keysMode(Terminal terminal) {
        Attributes before = terminal.getAttributes();
        Attributes keys = new Attributes(before);
        keys.setLocalFlag(Attributes.LocalFlag.ICANON, false);
        keys.setControlChar(Attributes.ControlChar.VMIN, 0);
        keys.setControlChar(Attributes.ControlChar.VTIME, 1);
        terminal.setAttributes(keys);
        return before;
    }

    /**
     * Switches the terminal's echo off, and its flush on a signal (NOFLSH); returns its attributes before, to be
     * put back when the session ends. The kernel's flush of the output queue on Ctrl-C, while an entry wrote a
     * huge value, left the entry's write blocked for good in about one try in three (Linux 6.18, a
     * pseudo-terminal): the flush frees the queue but wakes no writer, and no read of the emptied queue comes
     * to wake it. Without it the entry stops at its next safepoint, as any other entry does; the keys
     * typed before the Ctrl-C are dropped by the session instead ({@link #dropTypeAhead}).
     */
    private static Attributes echoOff(Terminal terminal) {
        Attributes before = terminal.getAttributes();
        Attributes quiet = new Attributes(before);
        quiet.setLocalFlag(Attributes.LocalFlag.ECHO, false);
        quiet.setLocalFlag(Attributes.LocalFlag.NOFLSH, true);
        terminal.setAttributes(quiet);
        return before;
    }

    /**
     * A dumb terminal ({@code TERM=dumb}: Emacs' shell, some IDE consoles) is not put in raw mode, so Ctrl-C
     * is the kernel's SIGINT, not a key JLine reads; JLine does not catch it there, and the JVM's default
     * ended the process with the session (exit 130). Passed on to the terminal, it does what Ctrl-C does on a
     * full terminal: clears the line being typed (the kernel has dropped it already) or stops the entry.
     */
    private static void interruptsFromTheKernel(Terminal terminal) {
        try {
            sun.misc.Signal.handle(new sun.misc.Signal("INT"), s -> {
                terminal.writer().println(); // after the kernel's echo of ^C, as a full terminal ends the line
                terminal.writer().flush();
                terminal.raise(Terminal.Signal.INT);
            });
        } catch (IllegalArgumentException | IllegalStateException e) {
            // no signals here (-Xrs): Ctrl-C ends the process, as it did
        }
    }

    /**
     * Where scripts/osprey says the build unpacked JLine's native libraries, when it has also given JLine
     * native access ({@code --enable-native-access=org.jline}).
     */
    static final String JLINE_NATIVE_PROPERTY = "osprey.jline.native";

    /**
     * Which of JLine's terminal providers to try, or null for JLine's own choice. JLine's JNI terminal asks the
     * terminal for its modes and size with system calls, where its exec provider runs {@code stty} (and
     * {@code test -t}, {@code tty}, {@code infocmp}): about 18 processes before the first prompt and more at every
     * entry (the next prompt 20 ms after an answer instead of 2). The JNI one needs its native library, which JLine would copy to the temporary directory at every
     * start and, since the launcher halts the JVM without its shutdown hooks, leave there; so it is used only
     * where the build unpacked the library for this platform ({@code nativeRoot}/org/jline/nativ/OS/arch, from
     * scripts/osprey) and loaded from there.
     */
    static String terminalProviders(String nativeRoot, String platform) {
        if (nativeRoot == null) {
            return null;
        }
        Path dir = Path.of(nativeRoot, "org", "jline", "nativ").resolve(platform);
        String[] names = {System.mapLibraryName("jlinenative"), "libjlinenative.jnilib"};
        for (String name : names) {
            if (Files.isRegularFile(dir.resolve(name))) {
                System.setProperty("library.jline.path", dir.toString());
                System.setProperty("library.jline.name", name);
                return "jni,exec";
            }
        }
        return "exec";
    }

    /** {@code osprey} with entries on standard input and no terminal. Programs see an empty standard input. */
    static int piped(Map<String, String> options, InputStream in, PrintStream out, PrintStream err) {
        try (Session s = new Session(options, InputStream.nullInputStream(), out, err, false)) {
            return new Repl(s, out, err).piped(new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)));
        }
    }

    /** $OSPREY_HISTORY, else ~/.osprey_history; an empty OSPREY_HISTORY keeps no history. */
    static Path historyFile() {
        return historyFile(System.getenv("OSPREY_HISTORY"), home());
    }

    /**
     * The home directory as the shell has it: $HOME when it names one (absolute), else Java's user.home,
     * which comes from the password database and ignores a HOME set for this run.
     */
    static String home() {
        String home = System.getenv("HOME");
        return home != null && home.startsWith("/") ? home : System.getProperty("user.home");
    }

    /** The history file for a value of OSPREY_HISTORY (null when unset) and a home directory. */
    static Path historyFile(String setting, String home) {
        if (setting != null) {
            return setting.isEmpty() ? null : Path.of(setting);
        }
        return Path.of(home, ".osprey_history");
    }

    /** A session on a terminal; returns the exit code. Used by {@link #start} and by the transcript tests. */
    static int interactive(Terminal terminal, Map<String, String> options, Path history) {
        PromptOutput output = new PromptOutput(terminal.output());
        PrintStream tout = new PrintStream(output, true, StandardCharsets.UTF_8);
        ProgramInput programInput = new ProgramInput();
        try (Session session = new Session(options, programInput, tout, tout, true)) {
            Repl repl = new Repl(session, tout, tout, () -> terminal.writer().flush());
            // A line of program input is taken as it is: words only, no quotes or escapes to balance.
            programInput.use(session::interrupt, () -> ProgramInput.reader(LineReaderBuilder.builder().terminal(terminal).appName("osprey-input")
                            .parser(words()).variable(LineReader.DISABLE_HISTORY, true).option(LineReader.Option.DISABLE_EVENT_EXPANSION, true).build()),
                            output);
            Map<String, Object> variables = new java.util.HashMap<>();
            variables.put(LineReader.SECONDARY_PROMPT_PATTERN, CONTINUATION);
            if (history != null) {
                variables.put(LineReader.HISTORY_FILE, history);
            }
            LineReaderImpl reader = new TypeAheadReader(terminal, "osprey", variables);
            reader.setHistory(new DefaultHistory());
            boolean dumb = terminal.getType().startsWith(Terminal.TYPE_DUMB);
            reader.setParser(new EntryParser(!dumb));
            reader.setCompleter(repl.new EntryCompleter());
            String noColor = System.getenv("NO_COLOR");
            if (noColor == null || noColor.isEmpty()) { // https://no-color.org: set, and not empty, means no colours
                reader.setHighlighter(new EntryHighlighter());
            } else {
                // JLine colours the list of completions by itself (cyan, bright magenta): no style at all.
                for (String style : List.of(LineReader.COMPLETION_STYLE_STARTING, LineReader.COMPLETION_STYLE_DESCRIPTION,
                                LineReader.COMPLETION_STYLE_GROUP, LineReader.COMPLETION_STYLE_SELECTION, LineReader.COMPLETION_STYLE_BACKGROUND,
                                LineReader.COMPLETION_STYLE_LIST_STARTING, LineReader.COMPLETION_STYLE_LIST_DESCRIPTION,
                                LineReader.COMPLETION_STYLE_LIST_GROUP, LineReader.COMPLETION_STYLE_LIST_SELECTION,
                                LineReader.COMPLETION_STYLE_LIST_BACKGROUND)) {
                    reader.setVariable(style, "fg:default");
                }
            }
            // JLine's guesses at a mistyped name listed every name under its own headings ("original", "others").
            reader.option(LineReader.Option.COMPLETE_MATCHER_TYPO, false);
            reader.option(LineReader.Option.DISABLE_EVENT_EXPANSION, true);
            reader.option(LineReader.Option.INSERT_TAB, false);
            // JLine left out of the history an entry starting with a space (the shells' ignorespace): one pasted
            // from an indented place in a file was gone from the up arrow.
            reader.option(LineReader.Option.HISTORY_IGNORE_SPACE, false);
            // Ctrl-D deletes the character under the cursor and ends the input on an empty line, as in bash;
            // JLine's default at the end of a line listed every completion ("do you wish to see all 111").
            reader.getKeyMaps().get(LineReader.EMACS).bind(new Reference(LineReader.DELETE_CHAR), KeyMap.ctrl('D'));
            normalModeCursorKeys(reader);
            tabIndentsAnEmptyLine(reader);
            if (!dumb) {
                // Ctrl-C at the prompt is a key among the keys typed around it (read with the terminal's INTR key
                // off), not SIGINT: the kernel's SIGINT threw away the keys typed before it that JLine had
                // not read yet, so '1 + ' and Ctrl-C arriving together left an empty prompt behind, the text gone.
                ProgramInput.interruptKey(reader);
            }
            if (history != null && !loadHistory(reader, history, tout)) {
                reader.getVariables().remove(LineReader.HISTORY_FILE); // and so never overwritten at the end
            }
            output.attach(reader);
            // Keys typed while an entry runs are kept for the next prompt, where the line editor shows them; the
            // terminal's own echo showed them a first time where the entry's output was (sleep(3000), then
            // '1 + 1' typed, gave '1 + 1osprey> 1 + 1'). So the terminal echoes nothing for the whole session (the
            // line editor draws what is typed at a prompt itself), and the ^C it no longer echoes is written here.
            Attributes echoing = dumb ? null : echoOff(terminal);
            // Brought back with fg after Ctrl-Z, the terminal has the shell's modes, echo on: off again. (At a
            // prompt the line editor takes this signal itself, and puts its raw mode back.)
            Terminal.SignalHandler previousCont = echoing == null ? null : terminal.handle(Terminal.Signal.CONT, s -> echoOff(terminal));
            // Reading the terminal's keys (a Ctrl-C's drop, the look for a Ctrl-C typed with Enter) one at a time.
            Object keysRead = new Object();
            Runnable ctrlC = () -> {
                // The entry is asked to stop before ^C is written: writing waits for the output, which an entry
                // printing a huge value holds nearly all the time (its lock is not fair), and the request waited
                // behind it for megabytes. "interrupted" waits for the ^C instead, so it still comes after it.
                // A signal handled once the entry is over and the REPL is back at its prompt (Ctrl-C pressed as
                // the entry ended) is not the entry's: its drop took the first keys of the next entry, typed at
                // the prompt, and its ^C came out before that entry's answer. It only stops a handler running
                // then, as Ctrl-C at the prompt does; the REPL waits for one that is the entry's before its prompt.
                repl.caretPending(true);
                try {
                    if (!session.interrupt()) {
                        return;
                    }
                    synchronized (keysRead) {
                        dropTypeAhead(terminal);
                    }
                    tout.print("^C");
                    tout.flush();
                } finally {
                    repl.caretPending(false);
                }
            };
            Terminal.SignalHandler previous = terminal.handle(Terminal.Signal.INT, s -> {
                if (echoing == null) {
                    session.interrupt();
                    return;
                }
                ctrlC.run();
            });
            try {
                tout.println("Osprey " + Main.VERSION + ". :help for help, Ctrl-D to quit.");
                while (!repl.quit) {
                    String entry;
                    repl.awaitCarets(); // a Ctrl-C pressed as the last entry ended has dropped what it drops
                    if (!output.atLineStart()) {
                        // A Ctrl-C that stopped only a handler the entry waited for (the entry then ran on) left its
                        // ^C at the end of the entry's output, and the prompt was drawn after it: "^Cosprey> ".
                        tout.println();
                    }
                    output.editing(true);
                    try {
                        // The entry is the session's from the moment it is read, before Ctrl-C is a signal again.
                        entry = dumb ? byLines(reader) : ProgramInput.readWithInterruptKey(reader, PROMPT, () -> session.handling(true));
                    } catch (UserInterruptException e) {
                        session.interrupt(); // stops a handler running now, if any (no entry is running)
                        continue; // Ctrl-C on a line clears it
                    } catch (EndOfFileException e) {
                        break; // Ctrl-D on an empty line
                    } finally {
                        output.editing(false);
                    }
                    if (dumb) {
                        session.handling(true); // (a full terminal's line editor did, above)
                    }
                    try {
                        // (A Ctrl-C sent with a command that runs nothing, ':type 1', stays for the next prompt.)
                        if (!dumb && runsCode(entry) && ctrlCWithEnter(terminal, keysRead)) {
                            ctrlC.run();
                        }
                        repl.handle(entry);
                    } finally {
                        session.handling(false);
                    }
                    tout.flush();
                }
            } finally {
                terminal.handle(Terminal.Signal.INT, previous);
                if (echoing != null) {
                    terminal.handle(Terminal.Signal.CONT, previousCont);
                    terminal.setAttributes(echoing);
                }
                try {
                    reader.getHistory().save();
                } catch (IOException e) {
                    tout.println("osprey: cannot save the history: " + e.getMessage());
                }
            }
            return 0;
        } finally {
            try {
                output.drain(); // what handlers printed at the last prompt
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Whether the entry runs code a Ctrl-C can stop: one that is not blank and not a command, or a :load. */
    static boolean runsCode(String entry) {
        String text = entry.strip();
        return !text.isEmpty() && (!text.startsWith(":") || text.startsWith(":load ") || text.startsWith(":l "));
    }

    /**
     * Whether a Ctrl-C came with the Enter that ended the entry, or within a few milliseconds of it: the line
     * editor reads Ctrl-C as a key, and until it has handed the terminal back (its modes, the handling of
     * SIGINT) a Ctrl-C typed stays among the keys as the character 3 rather than raising the signal that
     * stops an entry. Left there, it stopped nothing (a spinning entry ran on until a second Ctrl-C) and then
     * abandoned the next prompt's line. So the first key the terminal holds when the entry is taken is looked
     * at: a Ctrl-C is read, and stops the entry; any other key stays for whoever reads next (the next prompt,
     * or the entry's readLine()), with those after it (a Ctrl-C among them is one typed for that line).
     */
    private static boolean ctrlCWithEnter(Terminal terminal, Object keysRead) {
        synchronized (keysRead) {
            Attributes before = keysMode(terminal);
            try {
                if (terminal.reader().peek(1L) == KeyMap.ctrl('C').charAt(0)) {
                    terminal.reader().read(1L);
                    return true;
                }
            } catch (IOException e) {
                // the terminal is gone: no key
            } finally {
                terminal.setAttributes(before);
            }
            return false;
        }
    }

    /**
     * The cursor keys as a terminal sends them in its normal mode ({@code ESC [ A} for Up), besides the
     * application mode JLine asks for while it edits a line ({@code ESC O A}, which is all JLine binds). Keys
     * pressed while an entry runs come in the normal mode, since JLine has switched the mode back: an Up
     * pressed then became {@code [A} typed at the next prompt (and the entry an unclosed list).
     */
    static void normalModeCursorKeys(LineReader reader) {
        KeyMap<Binding> keys = reader.getKeyMaps().get(LineReader.EMACS);
        Map<Capability, String> normal = Map.of(Capability.key_up, "A", Capability.key_down, "B", Capability.key_right, "C",
                        Capability.key_left, "D", Capability.key_home, "H", Capability.key_end, "F");
        normal.forEach((key, last) -> {
            String application = KeyMap.key(reader.getTerminal(), key);
            Binding action = application == null || application.isEmpty() ? null : keys.getBound(application);
            if (action != null && keys.getBound("\033[" + last) == null) {
                keys.bind(action, "\033[" + last);
            }
        });
    }

    /** The widget that Tab runs: indents where the line has only spaces before the cursor, else completes. */
    static final String INDENT_OR_COMPLETE = "osprey-indent-or-complete";

    /**
     * Tab with nothing but spaces before the cursor on its line indents it to the next multiple of four columns,
     * as Python's REPL does: Tab at the start of a function's body on a continuation line asked "do you wish to
     * see all 132 possibilities?". Elsewhere it completes, as JLine's binding did.
     */
    static void tabIndentsAnEmptyLine(LineReader reader) {
        KeyMap<Binding> keys = reader.getKeyMaps().get(LineReader.EMACS);
        if (!(keys.getBound("\t") instanceof Reference complete)) {
            return;
        }
        org.jline.reader.Widget completion = reader.getWidgets().get(complete.name());
        if (completion == null) {
            return;
        }
        reader.getWidgets().put(INDENT_OR_COMPLETE, () -> {
            org.jline.reader.Buffer b = reader.getBuffer();
            String before = b.substring(0, b.cursor());
            String line = before.substring(before.lastIndexOf('\n') + 1);
            if (!line.chars().allMatch(c -> c == ' ')) {
                // Called itself, not through callWidget, which swallowed the Ctrl-C pressed while the list of
                // candidates waits for a second Tab: the line stayed, and the next key went on it.
                return completion.apply();
            }
            b.write(" ".repeat(4 - line.length() % 4));
            return true;
        });
        keys.bind(new Reference(INDENT_OR_COMPLETE), "\t");
    }

    /**
     * Reads the history file now, so that one that cannot be read (a directory, or bytes that are not UTF-8)
     * costs the session its history, with one line saying so, instead of ending it with a Java exception.
     */
    static boolean loadHistory(LineReader reader, Path history, PrintStream out) {
        if (Files.isRegularFile(history) ? !Files.isWritable(history) : !Files.exists(history) && !canCreate(history)) {
            out.println("osprey: cannot write the history to " + history + ", so this session's entries are not kept");
            if (!Files.exists(history)) {
                return false; // nothing to read, and said once: not again when saving fails at the end
            }
        }
        if (Files.exists(history) && !Files.isRegularFile(history)) {
            out.println("osprey: " + history + " is not a file, so this session keeps no history (OSPREY_HISTORY names another file)");
            return false;
        }
        try {
            if (Files.isRegularFile(history) && !ownHistory(history)) {
                // JLine drops a file it cannot parse without a word and then writes its own over it at the end.
                out.println("osprey: " + history + " is not an osprey history (its lines do not start with a time), so it is left as it is"
                                + " and this session keeps no history (OSPREY_HISTORY names another file)");
                return false;
            }
            if (!Files.exists(history)) {
                createPrivately(history);
            }
            reader.getHistory().attach(reader);
            return true;
        } catch (IOException | java.io.UncheckedIOException | IllegalArgumentException e) {
            out.println("osprey: cannot read the history in " + history + " (it is not UTF-8 text), so this session keeps no history");
            return false;
        }
    }

    /**
     * Makes a new history file that only its owner may read and write, as bash, zsh and node do: entries can
     * hold what others should not read (a token in a URL). JLine would make it with the umask's permissions
     * (rw-r--r-- usually). The directories above it that are missing are made as JLine makes them.
     */
    private static void createPrivately(Path history) throws IOException {
        Path dir = history.toAbsolutePath().getParent();
        if (dir != null) {
            Files.createDirectories(dir);
        }
        if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            try {
                Files.createFile(history, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } catch (java.nio.file.FileAlreadyExistsException e) {
                // another session made it meanwhile
            }
        }
    }

    /**
     * The entries JLine keeps in the history file (its history-file-size); it trims the file to them once it
     * holds a quarter more.
     */
    static final int HISTORY_FILE_ENTRIES = 10_000;

    /**
     * Whether a file that does not exist yet can be made: JLine makes the directories above it that are
     * missing too (OSPREY_HISTORY=~/.local/state/osprey/history), so what counts is the nearest that exists.
     */
    private static boolean canCreate(Path file) {
        Path dir = file.toAbsolutePath().getParent();
        while (dir != null && !Files.exists(dir)) {
            dir = dir.getParent();
        }
        return dir != null && Files.isDirectory(dir) && Files.isWritable(dir);
    }

    /** A line of the history file as JLine writes it: milliseconds since 1970, ':', the entry (escaped to one line). */
    private static final java.util.regex.Pattern HISTORY_LINE = java.util.regex.Pattern.compile("\\d+:.*");

    /**
     * Whether every line of the file is one JLine wrote, so that the file is this REPL's. On the way it
     * mends two things, replacing the file at once (a new file moved over it, as JLine trims it):
     * <ul>
     * <li>a last line that is not one (a write cut short by a crash or a full disk: digits without the rest,
     * or zero bytes) is dropped; JLine refused the whole file for it, and the session kept no history. So is
     * a last line without its line break, cut short after the ':' or within the entry: JLine read it as a
     * whole entry and appended the next one to it, making the two one line;</li>
     * <li>a file longer than JLine lets it grow (joined from several, say) is cut to its newest entries, in
     * one pass. JLine trims it by comparing every entry with every other, to drop repeats, at the first entry
     * typed: with 30,000 entries that Enter took 17 s, with 300,000 hours, the session seemingly hung.</li>
     * </ul>
     */
    private static boolean ownHistory(Path history) throws IOException {
        java.util.ArrayDeque<String> newest = new java.util.ArrayDeque<>();
        long entries = 0;
        String torn = null;
        try (BufferedReader lines = Files.newBufferedReader(history, StandardCharsets.UTF_8)) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                if (torn != null) {
                    return false; // a line that is not JLine's before the last: another program's file
                }
                if (line.isEmpty() || HISTORY_LINE.matcher(line).matches()) {
                    entries++;
                    newest.add(line);
                    if (newest.size() > HISTORY_FILE_ENTRIES) {
                        newest.removeFirst();
                    }
                } else {
                    torn = line;
                }
            }
        }
        if (torn != null && entries == 0) {
            return false;
        }
        boolean cutShort = false;
        if (torn == null && !newest.isEmpty() && !endsWithLineBreak(history)) {
            newest.removeLast();
            entries--;
            cutShort = true;
        }
        if (torn != null || cutShort || entries > HISTORY_FILE_ENTRIES + HISTORY_FILE_ENTRIES / 4) {
            Path temporary = null;
            try {
                Path file = history.toRealPath(); // a link to it (kept with other dotfiles) stays a link
                temporary = Files.createTempFile(file.getParent(), file.getFileName().toString(), ".new");
                Files.write(temporary, newest, StandardCharsets.UTF_8);
                Files.move(temporary, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
                temporary = null;
            } catch (IOException e) {
                return torn == null; // left as it is: JLine trims it itself (slowly), but refuses a torn line
            } finally {
                if (temporary != null) {
                    temporary.toFile().delete();
                }
            }
        }
        return true;
    }

    /** Whether the file's last byte is a line break (JLine ends every entry it writes with one). */
    private static boolean endsWithLineBreak(Path file) throws IOException {
        try (java.nio.channels.SeekableByteChannel channel = Files.newByteChannel(file)) {
            long size = channel.size();
            if (size == 0) {
                return true;
            }
            java.nio.ByteBuffer last = java.nio.ByteBuffer.allocate(1);
            channel.position(size - 1).read(last);
            return last.get(0) == '\n';
        }
    }

    /**
     * What of an entry must be complete before it is handled: the expression of a {@code :type} command (which
     * goes on over lines as an entry does), nothing of another command, else the whole entry.
     */
    static String whatMustBeComplete(String text) {
        String t = text.strip();
        if (!t.startsWith(":")) {
            return text;
        }
        for (String command : List.of(":type ", ":t ")) {
            if (t.startsWith(command)) {
                return t.substring(command.length());
            }
        }
        return "";
    }

    /** Entries from a reader without a terminal: no prompts; the exit code says whether any entry failed. */
    int piped(BufferedReader input) {
        StringBuilder pending = new StringBuilder();
        int lineNumber = 0;
        int firstLine = 1; // of the pending entry: its places are given as the input's lines (<stdin>:LINE:COL)
        try {
            String next = null; // a line read ahead
            String line;
            while (!quit && (line = next != null ? next : input.readLine()) != null) {
                next = null;
                lineNumber++;
                if (pending.isEmpty()) {
                    firstLine = lineNumber;
                }
                pending.append(line).append('\n');
                String text = pending.toString();
                if (SourceInfo.isIncomplete(whatMustBeComplete(text))) {
                    continue;
                }
                String entry = text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
                // A line starting with '|' may go on with this entry, as in a file (`| Variant { ... }` under a
                // union type, `|> f` under an expression). Looked at only when it has already arrived, so that a
                // program feeding the REPL one entry at a time and waiting for its answer still gets it at once.
                if (!entry.strip().startsWith(":") && input.ready() && (next = input.readLine()) != null
                                && SourceInfo.continues(entry, next)) {
                    continue;
                }
                pending.setLength(0);
                handle(entry, firstLine);
            }
        } catch (IOException e) {
            err.println("osprey: cannot read standard input: " + e.getMessage());
            return 1;
        }
        if (!pending.isEmpty()) {
            handle(pending.toString(), firstLine); // the input ended inside an entry: its error says what is missing
        }
        out.flush();
        return anyFailed ? 1 : 0;
    }

    /** One complete entry or command. */
    void handle(String entry) {
        handle(entry, 0);
    }

    /** As above, for an entry of piped input starting on line firstLine of it (0: typed on a terminal). */
    private void handle(String entry, int firstLine) {
        String text = entry.strip();
        if (text.isEmpty()) {
            return;
        }
        if (text.startsWith(":")) {
            command(text, firstLine, entry.length() - entry.stripLeading().length());
            return;
        }
        run(entry, Session.ENTRY_NAME, firstLine);
    }

    /** Runs an entry or a loaded file and says how it ended when the session has not said so yet. */
    private void run(String text, String name) {
        run(text, name, 0);
    }

    private void run(String text, String name, int firstLine) {
        Session.Outcome o = session.eval(text, name, firstLine);
        if (o == Session.Outcome.INCOMPLETE) {
            // The input ended inside an entry (piped input), or a loaded file did: the parser says what is missing.
            err.println(session.incompleteMessage());
            anyFailed = true;
        } else if (o == Session.Outcome.INTERRUPTED) {
            awaitCarets();
            out.flush();
            flushTerminal.run();
            err.println("interrupted");
            anyFailed = true;
        } else if (o != Session.Outcome.OK) {
            anyFailed = true;
        }
    }

    /**
     * A :command; {@code firstLine} is its line in piped input (0: not piped), {@code indent} the column it
     * starts at, so that a :type's diagnostics are placed in the input as an entry's are.
     */
    private void command(String text, int firstLine, int indent) {
        int space = text.indexOf(' ');
        String name = space < 0 ? text : text.substring(0, space);
        String arg = space < 0 ? "" : text.substring(space + 1).strip();
        switch (name) {
            case ":help", ":h", ":?" -> {
                if (bare(name, arg, "shows the help")) {
                    out.print(help());
                }
            }
            case ":quit", ":q" -> quit = bare(name, arg, "leaves");
            case ":reset" -> {
                if (bare(name, arg, "resets the session")) {
                    session.reset();
                    out.println("The session was reset: earlier definitions are gone.");
                }
            }
            case ":type", ":t" -> {
                if (arg.isEmpty()) {
                    err.println(":type needs an expression, e.g. :type 1 + 2");
                    anyFailed = true;
                    return;
                }
                // The expression goes where it stands in its line (spaces before it), so columns are the line's,
                // on a terminal as in piped input (the terminal counted from the expression, piped from the line).
                int column = indent + text.indexOf(arg, space);
                String padded = " ".repeat(column) + arg;
                // An error shows the line as typed, ':type' and all, not the spaces that stand for it.
                String shown = " ".repeat(indent) + text;
                String type = session.query("type " + padded, firstLine, firstLineOf(padded), firstLineOf(shown));
                if (type == null) {
                    anyFailed = true;
                } else {
                    out.println(oneLine(arg) + " : " + type);
                }
            }
            case ":load", ":l" -> load(arg);
            default -> {
                err.println("unknown command '" + name + "'; :help lists the commands");
                anyFailed = true;
            }
        }
    }

    /**
     * Whether a command that takes nothing was given nothing. Given something (':q extra' quit, ':reset now'
     * reset everything) it does nothing and says so, in case the text was meant for another command.
     */
    private boolean bare(String name, String arg, String alone) {
        if (arg.isEmpty()) {
            return true;
        }
        err.println(name + " takes no argument (" + name + " alone " + alone + ")");
        anyFailed = true;
        return false;
    }

    /** The longest expression of two lines that :type shows whole, on one line. */
    static final int SHOWN_WHOLE = 60;

    /**
     * How :type shows an expression typed over several lines, on one line: its first line, {@code ...} and its
     * last ({@code match n { ... }}, {@code { ... }}), each without indentation and comments; one of two short
     * lines whole, joined by a space, when the joined text still parses ({@code [1,} then {@code 2]} as
     * {@code [1, 2]}). Shown as typed, the block
     * was written out again above the type, its lines after the first starting in the first column, and the
     * type followed its closing brace.
     */
    static String oneLine(String expression) {
        if (expression.indexOf('\n') < 0) {
            return expression;
        }
        StringBuilder code = new StringBuilder(expression);
        List<SourceInfo.Span> spans = SourceInfo.highlight(expression);
        int kept = code.length(); // the text from here on has been looked at
        for (int i = spans.size() - 1; i >= 0; i--) {
            SourceInfo.Span s = spans.get(i);
            if (s.style() == SourceInfo.Style.COMMENT && s.end() <= kept) {
                code.delete(s.start(), s.end());
                kept = s.start();
            }
        }
        List<String> lines = code.toString().lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
        String joined = String.join(" ", lines);
        // Two lines joined whole must still read as the expression: '{ let a = 1' and 'a }' made '{ let a = 1 a }',
        // whose line break had ended a statement; such a pair is shown as its first line, '...' and its last.
        boolean whole = lines.size() < 2 || lines.size() == 2 && joined.length() <= SHOWN_WHOLE && SourceInfo.parses(joined);
        return whole ? joined : lines.get(0) + " ... " + lines.get(lines.size() - 1);
    }

    private static String firstLineOf(String s) {
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    private void load(String file) {
        if (file.isEmpty()) {
            err.println(":load needs a file, e.g. :load examples/hello.osp");
            anyFailed = true;
            return;
        }
        if (!session.filesAllowed()) {
            // Whoever types entries into a session started with --sandbox or --no-fs reads no files through it either.
            err.println(":load reads a file, which this session does not allow (--sandbox or --no-fs)");
            anyFailed = true;
            return;
        }
        String text;
        // ~/ is the home directory, as completion offers it (the shell that expands it elsewhere is not here).
        Path path;
        try {
            path = file.startsWith("~/") ? Path.of(home(), file.substring(2)) : Path.of(file);
        } catch (java.nio.file.InvalidPathException e) {
            err.println("cannot read '" + file + "': not a file name (" + e.getReason() + ")");
            anyFailed = true;
            return;
        }
        try {
            if (Files.isDirectory(path)) {
                err.println("cannot read '" + file + "': not a file");
                anyFailed = true;
                return;
            }
            // Bytes that are not UTF-8 are refused, as `osprey run` refuses them: decoded, they would become U+FFFD.
            byte[] bytes = Files.readAllBytes(path);
            String notUtf8 = Runner.notUtf8(bytes);
            if (notUtf8 != null) {
                err.println(file + ":" + notUtf8);
                anyFailed = true;
                return;
            }
            text = new String(bytes, StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException | OutOfMemoryError e) {
            err.println("cannot read '" + file + "': " + Runner.readProblem(e, path));
            anyFailed = true;
            return;
        }
        run(text, file);
    }

    static String help() {
        return """
                        Type an expression to see its value and type, or a declaration (let, mut, fn,
                        type) to add it to the session. An entry that is not finished (an open brace,
                        a trailing operator) goes on over the next lines.

                          :type EXPR, :t   the type of an expression, without running it
                          :load FILE, :l   run a file's declarations and statements in this session
                          :reset           forget every definition and stop what the session started
                          :help, :h, :?    this text
                          :quit, :q        leave (Ctrl-D on an empty line does too)

                        Tab completes names, fields, commands and the file after :load; the up arrow
                        brings back earlier entries, also those of earlier sessions. Ctrl-C clears the
                        line, or stops a running entry and what it started.
                        """;
    }

    // ---------------------------------------------------------------- JLine plumbing

    /** JLine's parser splitting a line into words at spaces, without quotes or escapes. */
    static DefaultParser words() {
        DefaultParser words = new DefaultParser();
        words.setQuoteChars(new char[0]);
        words.setEscapeChars(new char[0]);
        return words;
    }

    /**
     * An entry read line by line, for a dumb terminal ({@code TERM=dumb}): JLine's own multi-line editing draws the
     * continuation prompt only where it can move the cursor, so on a dumb terminal the lines after the first had
     * no prompt at all. Each line is a readLine of its own here, with the continuation prompt; Ctrl-C on any of them
     * drops the whole entry, as on a full terminal, and the end of input after the first runs what was typed (its
     * error says what is missing).
     */
    private static String byLines(LineReaderImpl reader) {
        StringBuilder entry = new StringBuilder();
        reader.variable(LineReader.DISABLE_HISTORY, true); // the entry goes into the history whole, below
        try {
            try {
                entry.append(reader.readLine(PROMPT));
            } catch (EndOfFileException e) {
                endTheLine(reader); // the shell's prompt then starts on a line of its own
                throw e;
            }
            while (SourceInfo.isIncomplete(whatMustBeComplete(entry.toString()))) {
                String line;
                try {
                    line = reader.readLine(CONTINUATION);
                } catch (EndOfFileException e) {
                    endTheLine(reader); // the error that says what is missing starts on a line of its own
                    break;
                }
                entry.append('\n').append(line);
            }
        } finally {
            reader.variable(LineReader.DISABLE_HISTORY, false);
        }
        if (!entry.toString().isBlank()) {
            reader.getHistory().add(entry.toString());
        }
        return entry.toString();
    }

    /**
     * Ctrl-D on a dumb terminal is the kernel's end of input, which ends no line (JLine ends it when it reads
     * the key itself): what came next, the error of an unfinished entry or the shell's prompt, was written
     * after the REPL's prompt, on its line.
     */
    private static void endTheLine(LineReaderImpl reader) {
        if (reader instanceof TypeAheadReader r && r.inputEnded) {
            reader.getTerminal().writer().println();
            reader.getTerminal().writer().flush();
        }
    }

    /** Splits words for completion; asks the language's parser whether an entry goes on (JLine's multi-line editing). */
    static final class EntryParser implements Parser {
        private final DefaultParser words = words();
        private final boolean multiLine;

        EntryParser(boolean multiLine) {
            this.multiLine = multiLine;
        }

        /** A :load command up to the start of its file name. */
        private static final java.util.regex.Pattern LOAD = java.util.regex.Pattern.compile("\\s*(:load|:l)\\s+");

        @Override
        public ParsedLine parse(String line, int cursor, ParseContext context) {
            if (multiLine && context == ParseContext.ACCEPT_LINE && SourceInfo.isIncomplete(whatMustBeComplete(line))) {
                throw new EOFError(-1, -1, "the entry goes on", "osprey");
            }
            java.util.regex.Matcher load = LOAD.matcher(line);
            if (context == ParseContext.COMPLETE && load.lookingAt() && cursor >= load.end()) {
                // The file is the rest of the line, spaces and all, as :load reads it: split at spaces, a name
                // completed to "my dir/" had its next part completed as a name of the session.
                String file = line.substring(load.end());
                return words.new ArgumentList(line, List.of(load.group(1), file), 1, cursor - load.end(), cursor);
            }
            return words.parse(line, cursor, context);
        }
    }

    /**
     * Where the name or field path being typed at the end of {@code word} starts: after the last character
     * that cannot be part of one, where a group in brackets closed in the word counts as part of it, so that
     * {@code print(first(xs).na} completes the fields of {@code first(xs)}.
     */
    static int pathStart(String word) {
        int start = word.length();
        while (start > 0) {
            char c = word.charAt(start - 1);
            if (Character.isLetterOrDigit(c) || c == '_' || c == '.') {
                start--;
            } else if ((c == ')' || c == ']') && start < word.length() && word.charAt(start) == '.') {
                int open = opening(word, start - 1);
                if (open < 0) {
                    break;
                }
                start = open;
            } else {
                break;
            }
        }
        return start;
    }

    /** The index of the bracket that the one at {@code close} closes, or -1 when the word does not have it. */
    private static int opening(String word, int close) {
        int depth = 0;
        for (int i = close; i >= 0; i--) {
            char c = word.charAt(i);
            if (c == ')' || c == ']') {
                depth++;
            } else if (c == '(' || c == '[') {
                if (--depth == 0) {
                    return i;
                }
            }
        }
        return -1;
    }

    /** Keywords, builtins, session names, record fields after '.', the :commands, and the file after :load. */
    final class EntryCompleter implements Completer {
        /** Directories and Osprey files, as the shell completes them ('~' too); hidden ones once a '.' is typed. */
        private final Completer files = new Completers.FileNameCompleter() {
            @Override
            protected boolean accept(Path path) {
                return super.accept(path) && (Files.isDirectory(path) || path.getFileName().toString().endsWith(".osp"));
            }

            @Override
            protected Path getUserHome() {
                return Path.of(home()); // what :load reads
            }
        };

        @Override
        public void complete(LineReader reader, ParsedLine line, List<Candidate> candidates) {
            String word = line.word().substring(0, Math.min(line.wordCursor(), line.word().length()));
            if (line.wordIndex() == 0 && word.startsWith(":")) {
                for (String c : COMMANDS) {
                    candidates.add(new Candidate(c));
                }
                return;
            }
            if (line.wordIndex() == 1 && List.of(":load", ":l").contains(line.words().get(0))) {
                if (session.filesAllowed()) {
                    files.complete(reader, line, candidates);
                }
                return;
            }
            int start = pathStart(word);
            String before = word.substring(0, start);
            String ident = word.substring(start);
            int dot = ident.lastIndexOf('.');
            if (dot > 0) {
                String fields = session.quietQuery("fields " + ident.substring(0, dot));
                if (fields != null && !fields.isEmpty()) {
                    for (String f : fields.split("\n")) {
                        candidates.add(new Candidate(before + ident.substring(0, dot + 1) + f, f, null, null, null, null, false));
                    }
                }
                return;
            }
            // A keyword is followed by a space; a name is not, since a '(' or '.' usually comes next.
            for (String k : SourceInfo.keywords()) {
                candidates.add(new Candidate(before + k, k, null, null, null, null, true));
            }
            String known = session.quietQuery("names");
            if (known != null && !known.isEmpty()) {
                for (String n : known.split("\n")) {
                    candidates.add(new Candidate(before + n, n, null, null, null, null, false));
                }
            }
        }
    }

    /** Colours from the language's lexer. */
    /**
     * JLine redraws the whole entry after every key: an entry typed or pasted without bracketed paste (tmux
     * send-keys, a terminal without it) cost time quadratic in its length, 29 KB in 75 s. While more keys
     * are already waiting, the redraw of a long entry (over 1,000 characters) waits for them; the line is
     * drawn once they are read, and always when it is accepted. A short one is drawn at every key: asking
     * whether keys wait takes a timed read of the terminal, and at the first prompt (the read's thread
     * starting) that cost the REPL's start 0.1 s.
     */
    static final class TypeAheadReader extends LineReaderImpl {
        /** The last key was the end of the input itself (a dumb terminal's Ctrl-D, which the kernel takes), not a key read. */
        private boolean inputEnded;

        TypeAheadReader(Terminal terminal, String appName, Map<String, Object> variables) {
            super(terminal, appName, variables);
        }

        /**
         * A paste's line breaks as {@code \n}: JLine made every {@code \r} one, so that text copied with Windows line
         * breaks ({@code \r\n}) had an empty line after each of its lines, and its errors counted those lines.
         */
        @Override
        public boolean beginPaste() {
            String text = doReadStringUntil(BRACKETED_PASTE_END);
            regionActive = LineReader.RegionType.PASTE;
            regionMark = getBuffer().cursor();
            getBuffer().write(text.replace("\r\n", "\n").replace('\r', '\n'));
            return true;
        }

        @Override
        public Binding readBinding(KeyMap<Binding> keys, KeyMap<Binding> local) {
            Binding b = super.readBinding(keys, local);
            inputEnded = b == null;
            return b;
        }

        @Override
        protected void redisplay(boolean flush) {
            if (state == State.NORMAL && getBuffer().length() > 1000 && keysWaiting()) {
                return;
            }
            super.redisplay(flush);
        }

        private boolean keysWaiting() {
            try {
                return getTerminal().reader().peek(1) >= 0;
            } catch (IOException e) {
                return false;
            }
        }
    }

    static final class EntryHighlighter implements Highlighter {
        @Override
        public AttributedString highlight(LineReader reader, String buffer) {
            AttributedStringBuilder sb = new AttributedStringBuilder();
            int at = 0;
            for (SourceInfo.Span s : SourceInfo.highlight(buffer)) {
                if (s.start() < at) {
                    continue;
                }
                sb.append(buffer, at, s.start());
                sb.style(style(s.style()));
                sb.append(buffer, s.start(), s.end());
                sb.style(AttributedStyle.DEFAULT);
                at = s.end();
            }
            sb.append(buffer, at, buffer.length());
            return sb.toAttributedString();
        }

        private static AttributedStyle style(SourceInfo.Style s) {
            return switch (s) {
                case KEYWORD -> AttributedStyle.BOLD.foreground(AttributedStyle.BLUE);
                case STRING -> AttributedStyle.DEFAULT.foreground(AttributedStyle.GREEN);
                case NUMBER -> AttributedStyle.DEFAULT.foreground(AttributedStyle.CYAN);
                case COMMENT -> AttributedStyle.DEFAULT.foreground(AttributedStyle.BRIGHT).italic();
                case TYPE -> AttributedStyle.DEFAULT.foreground(AttributedStyle.MAGENTA);
                case ERROR -> AttributedStyle.DEFAULT.foreground(AttributedStyle.RED).underline();
            };
        }
    }
}
