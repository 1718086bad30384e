package org.osprey.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;

import org.jline.keymap.KeyMap;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.Reference;
import org.jline.reader.UserInterruptException;
import org.jline.terminal.Attributes;
import org.jline.terminal.Terminal;

/**
 * Standard input of the entries a REPL runs on a terminal. Each line a program reads ({@code input()},
 * {@code readLine()}) is read with a line reader of its own on the session's terminal: the line is edited as
 * an entry is, Ctrl-D on an empty line ends the input, and Ctrl-C stops the entry at once. Read from the
 * terminal's stream directly, in the terminal's line mode, the read could not be interrupted: Ctrl-C took
 * effect only when the next key came, and that key went to the stopped read.
 */
final class ProgramInput extends InputStream {
    private volatile Runnable interruptEntry;
    private volatile java.util.function.Supplier<LineReader> makeReader;
    /** Where the session's output goes: while a line is read, what handlers print goes above it. */
    private volatile PromptOutput output;
    private LineReader reader;
    private byte[] line = new byte[0];
    private int at;

    /**
     * Once the session exists (it reads from this stream): how to ask for the running entry's stop without
     * waiting (Session.interrupt), and how to make the reader for program input (no history, no
     * completion), made at the first read so that a session whose entries read nothing does not pay for it.
     */
    void use(Runnable interrupt, java.util.function.Supplier<LineReader> lineReader, PromptOutput out) {
        this.interruptEntry = interrupt;
        this.makeReader = lineReader;
        this.output = out;
    }

    /**
     * The reader for program input, with Ctrl-C a key of its own ({@link #fill} reads with the terminal's
     * INTR key off): as a signal, Ctrl-C lost its place among the keys typed around it, so a line typed
     * right after it went to the stopped read, or its first characters did.
     */
    static LineReader reader(LineReader r) {
        interruptKey(r);
        Repl.normalModeCursorKeys(r);
        return r;
    }

    /** Binds Ctrl-C to abandon the line, for a reader that reads with Ctrl-C not a signal key ({@link #readWithInterruptKey}). */
    static void interruptKey(LineReader r) {
        r.getWidgets().put(INTERRUPT, () -> {
            throw new UserInterruptException(r.getBuffer().toString());
        });
        r.getKeyMaps().get(LineReader.EMACS).bind(new Reference(INTERRUPT), KeyMap.ctrl('C'));
    }

    private static final String INTERRUPT = "osprey-interrupt";

    @Override
    public synchronized int read() throws IOException {
        if (!fill()) {
            return -1;
        }
        return line[at++] & 0xff;
    }

    @Override
    public synchronized int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        if (!fill()) {
            return -1;
        }
        int n = Math.min(len, line.length - at);
        System.arraycopy(line, at, b, off, n);
        at += n;
        return n;
    }

    @Override
    public synchronized int available() {
        return line.length - at;
    }

    /**
     * r.readLine with the terminal's INTR key (Ctrl-C) read as a key ({@link #interruptKey}), its attributes
     * restored after. Only INTR is switched off (0 is Linux's _POSIX_VDISABLE): with all of the signal keys off,
     * Ctrl-Z no longer suspended the session at the prompt, for the shell's {@code fg} to bring back.
     * {@code taken} (or null) runs once the line is read, before Ctrl-C is a signal again.
     */
    static String readWithInterruptKey(LineReader r, String prompt, Runnable taken) {
        Terminal t = r.getTerminal();
        Attributes before = t.getAttributes();
        Attributes keys = new Attributes(before);
        keys.setControlChar(Attributes.ControlChar.VINTR, 0);
        t.setAttributes(keys);
        try {
            String line = r.readLine(prompt);
            if (taken != null) {
                taken.run();
            }
            return line;
        } finally {
            t.setAttributes(before);
        }
    }

    /** True when there is something to read; false at the end of input (Ctrl-D), which the next read may pass. */
    private boolean fill() throws IOException {
        if (at < line.length) {
            return true;
        }
        if (reader == null) {
            java.util.function.Supplier<LineReader> make = makeReader;
            if (make == null) {
                return false;
            }
            reader = make.get();
        }
        LineReader r = reader;
        PromptOutput out = output;
        String text;
        try {
            if (out != null) {
                out.programReads(r); // a handler's print goes above the answer being typed, which is drawn again
            }
            text = readWithInterruptKey(r, "", null);
        } catch (UserInterruptException e) {
            // The stop is asked for from another thread (Session.interrupt); the language delivers it to this
            // thread as an interrupt, which the read gives up on, so that the stop is what runs next.
            interruptEntry.run();
            long deadline = System.nanoTime() + 2_000_000_000L;
            while (!Thread.interrupted()) {
                if (System.nanoTime() > deadline) {
                    break; // no entry to stop after all: the program just reads on
                }
                try {
                    Thread.sleep(5);
                } catch (InterruptedException interrupted) {
                    break;
                }
            }
            throw new InterruptedIOException("interrupted while waiting for input");
        } catch (EndOfFileException e) {
            return false;
        } finally {
            if (out != null) {
                out.programReads(null);
            }
        }
        line = (text + "\n").getBytes(StandardCharsets.UTF_8);
        at = 0;
        return true;
    }
}
