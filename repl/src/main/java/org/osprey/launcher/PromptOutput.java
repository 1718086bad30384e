package org.osprey.launcher;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Arrays;

import org.jline.reader.LineReader;

/**
 * The session's standard output and error on a terminal. While the user edits a line, what a WebSocket
 * handler or a process's reader prints goes above the prompt, and JLine draws the prompt again with the
 * line as it was, not into the middle of the line being typed. While an entry runs (no line being edited),
 * output goes straight to the terminal.
 *
 * <p>
 * Lines printed at the prompt are handed to a printer thread and never printed by the thread that wrote
 * them: that thread is usually a handler, running Osprey code and holding the session while it prints,
 * and {@link LineReader#printAbove} waits for the reader's lock, which the reader holds while it completes
 * a name by asking the session (Tab). A handler waiting for the reader while the reader waits for the
 * session would hang both. For the same reason this class does not ask the reader whether it is reading
 * (that takes the lock too): the REPL says so ({@link #editing}). Order is kept: once a line waits for the
 * printer, everything written after it waits behind it.
 */
final class PromptOutput extends OutputStream {
    private final OutputStream terminal;
    /** The bytes of a line not yet ended, written while a line was being edited. */
    private final ByteArrayOutputStream partial = new ByteArrayOutputStream();
    /** Complete lines (without their newline) and, while no line is edited, raw chunks, in order. */
    private final ArrayDeque<Chunk> queue = new ArrayDeque<>();
    private LineReader reader;
    /** The REPL's own reader, {@link #reader} again once a program's line is read. */
    private LineReader entries;
    /** The REPL is in {@link LineReader#readLine}: the user may be editing a line. */
    private volatile boolean editing;
    private Thread printer;
    /** A chunk taken from the queue and not yet written. */
    private boolean printing;
    /**
     * What was last written outside line editing ended a line, or nothing was since the line editor ended the
     * line it read: the next prompt begins a line of its own.
     */
    private boolean atLineStart = true;

    private record Chunk(byte[] bytes, boolean line) {
    }

    PromptOutput(OutputStream terminal) {
        this.terminal = terminal;
    }

    /** The reader whose prompt output goes above. */
    synchronized void attach(LineReader r) {
        this.reader = r;
        this.entries = r;
    }

    /**
     * A running entry reads a line of its standard input ({@code readLine()}) with reader r, or has read it
     * (null): meanwhile output goes above that line as it does above the prompt.
     */
    synchronized void programReads(LineReader r) {
        reader = r != null ? r : entries;
        editing(r != null);
    }

    /**
     * Called with true just before a line is read at the terminal (the REPL's entry, or through {@link #programReads}
     * a program's), and with false once it has one.
     */
    void editing(boolean now) {
        editing = now;
        if (!now) {
            synchronized (this) {
                atLineStart = true; // the line editor has ended the line it read
            }
        }
    }

    /** Whether what was written since the last line was read ends with a line break (or nothing was written). */
    synchronized boolean atLineStart() {
        return atLineStart;
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[]{(byte) b}, 0, 1);
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) throws IOException {
        boolean atPrompt = editing && reader != null;
        if (!atPrompt && len > 0) {
            atLineStart = b[off + len - 1] == '\n';
        }
        if (!atPrompt && queue.isEmpty() && !printing) {
            writePartial();
            terminal.write(b, off, len);
            return;
        }
        if (!atPrompt) {
            // The printer still has lines to print: this goes after them (and after a line begun at the prompt).
            if (partial.size() > 0) {
                enqueue(new Chunk(partial.toByteArray(), false));
                partial.reset();
            }
            enqueue(new Chunk(Arrays.copyOfRange(b, off, off + len), false));
            return;
        }
        int start = off;
        for (int i = off; i < off + len; i++) {
            if (b[i] == '\n') {
                partial.write(b, start, i - start);
                enqueue(new Chunk(partial.toByteArray(), true));
                partial.reset();
                start = i + 1;
            }
        }
        partial.write(b, start, off + len - start);
    }

    /** Outside line editing, a line begun at the prompt and never ended is written before anything else. */
    private void writePartial() throws IOException {
        if (partial.size() > 0) {
            partial.writeTo(terminal);
            partial.reset();
        }
    }

    @Override
    public synchronized void flush() throws IOException {
        if (queue.isEmpty() && !printing && !editing) {
            if (partial.size() > 0) {
                atLineStart = false; // a partial line holds no line break
            }
            writePartial();
            terminal.flush();
        }
    }

    /** Waits (at most a second) until the printer has printed everything handed to it. */
    synchronized void drain() throws InterruptedException {
        long end = System.nanoTime() + 1_000_000_000L;
        while ((!queue.isEmpty() || printing) && System.nanoTime() < end) {
            wait(50);
        }
    }

    private void enqueue(Chunk c) {
        queue.add(c);
        if (printer == null) {
            printer = new Thread(this::print, "osprey-repl-output");
            printer.setDaemon(true);
            printer.start();
        }
        notifyAll();
    }

    private void print() {
        while (true) {
            Chunk c;
            LineReader r;
            synchronized (this) {
                while (queue.isEmpty()) {
                    try {
                        wait();
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                c = queue.poll();
                r = reader;
                printing = true;
            }
            try {
                if (c.line()) {
                    // Prints the text and a newline, above the prompt when a line is being edited, else in place.
                    r.printAbove(new String(c.bytes(), StandardCharsets.UTF_8));
                } else {
                    terminal.write(c.bytes());
                    terminal.flush();
                }
            } catch (IOException | RuntimeException e) {
                // The terminal is gone: there is nowhere left to print to.
            } finally {
                synchronized (this) {
                    printing = false;
                    notifyAll();
                }
            }
        }
    }
}
