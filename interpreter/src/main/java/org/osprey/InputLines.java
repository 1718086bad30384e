package org.osprey;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import com.oracle.truffle.api.strings.TruffleString;

import org.osprey.runtime.Strings;

/**
 * The lines of a program's standard input, for {@code readLine()} and {@code input()}. A line ends at
 * {@code \n}, and a {@code \r} just before it goes with it (docs/language.md): a {@code \r} elsewhere is
 * text, as it is to {@code lines}. A Java {@code BufferedReader} also ended a line at a lone {@code \r}, so
 * {@code "50%\r100%\n"} (a progress display) was two lines. The bytes are decoded as UTF-8 strictly, as
 * {@code readFile} does: a line that is not UTF-8 is an {@code IOException} naming it, where the reader
 * gave U+FFFD for its bytes without a word. Either way the line is consumed, so the next read goes on
 * after it.
 *
 * The bytes of a line read so far stay here when a read is interrupted (Ctrl-C in the REPL), so a read
 * that goes on afterwards loses none of them.
 *
 * A process's standard output and standard error (spawnProcess) are split the same way
 * ({@link #ofProcessOutput}), where a {@code BufferedReader} also split at a lone {@code \r} and gathered a
 * line without a bound until the heap ran out (a Java stack trace). A callback's line has no room for an
 * {@code Error}, so there a line that is not UTF-8 has U+FFFD for its bad bytes, and a line longer than a
 * string can hold arrives in parts of at most that length.
 */
public final class InputLines {
    private final InputStream in;
    /** Runs before a read that may wait: what the program printed (a prompt) is shown first. */
    private final Runnable beforeWaiting;
    /** A process's output: bad bytes become U+FFFD and an over-long line comes in parts, instead of IOExceptions. */
    private final boolean processOutput;
    /** Bytes read from {@code in}: those of {@code start} to {@code end} are not yet part of a line. */
    private byte[] buffer = new byte[8192];
    private int start;
    private int end;
    /** How far from {@code start} the search for the line's end has looked. */
    private int scanned;
    private long lineNumber;

    InputLines(InputStream in, Runnable beforeWaiting) {
        this(in, beforeWaiting, false);
    }

    private InputLines(InputStream in, Runnable beforeWaiting, boolean processOutput) {
        this.in = in;
        this.beforeWaiting = beforeWaiting;
        this.processOutput = processOutput;
    }

    /** The lines of one output stream of a process, for its callback (see the class comment). */
    public static InputLines ofProcessOutput(InputStream in) {
        return new InputLines(in, () -> {
        }, true);
    }

    /**
     * The next line without its line break, or null at the end of the input. One reader at a time: fibers
     * waiting in readLine run at once (each has let the others take their turn), and so do process callbacks.
     */
    public synchronized TruffleString next() throws IOException {
        while (true) {
            TruffleString line = buffered();
            if (line != null) {
                return line;
            }
            if (scanned > Strings.MAX_BYTES && processOutput) {
                int part = part();
                return take(part, part);
            }
            if (scanned > Strings.MAX_BYTES) {
                // The line goes on: what was read is dropped, so the rest reads as the next line.
                lineNumber++;
                start = end = scanned = 0;
                throw new IOException("line " + lineNumber + " is longer than a string can hold (" + Strings.MAX_BYTES + " bytes)");
            }
            if (end == buffer.length) {
                makeRoom();
            }
            beforeWaiting.run();
            int n = in.read(buffer, end, buffer.length - end);
            if (n < 0) {
                // The end is not kept: in the REPL, Ctrl-D ends one entry's input, and a later entry reads on.
                return end > start ? take(end - start, end - start) : null;
            }
            end += n;
        }
    }

    /**
     * The next line if all of it is read already (its line break is in the buffer), else null: no read of
     * {@code in}, so no wait.
     */
    synchronized TruffleString buffered() throws IOException {
        for (int i = start + scanned; i < end; i++) {
            if (buffer[i] == '\n') {
                int length = i - start;
                if (length > 0 && buffer[i - 1] == '\r') {
                    length--;
                }
                return take(length, i + 1 - start);
            }
        }
        scanned = end - start;
        return null;
    }

    /**
     * The length of the first part of an over-long line: as many bytes as a string may hold, less those of a
     * code point that would be cut (the bytes after the part that continue a UTF-8 sequence, at most three).
     */
    private int part() {
        int length = (int) Strings.MAX_BYTES;
        for (int back = 0; back < 3 && (buffer[start + length] & 0xC0) == 0x80; back++) {
            length--;
        }
        return length;
    }

    /** The line of {@code length} bytes at {@code start}, consuming {@code consumed} bytes (its break too). */
    private TruffleString take(int length, int consumed) throws IOException {
        lineNumber++;
        int at = start;
        start += consumed;
        scanned = 0;
        if (start == end) {
            start = end = 0;
        }
        // The line's bytes are the string's (a program's strings are UTF-8): decoding them to a Java string
        // and encoding that back took a third of a loop that only reads lines.
        TruffleString line = Strings.ofBytes(buffer, at, at + length);
        if (!line.isValidUncached(Strings.ENCODING)) {
            if (processOutput) {
                return Strings.of(new String(buffer, at, length, StandardCharsets.UTF_8));
            }
            throw new IOException("line " + lineNumber + " is not UTF-8 text");
        }
        return line;
    }

    /** Moves the unread bytes to the front, or grows the buffer when they fill it. */
    private void makeRoom() {
        int unread = end - start;
        if (start > 0) {
            System.arraycopy(buffer, start, buffer, 0, unread);
        } else {
            // Never beyond the longest line a string can hold and its "\r\n": the next read finds the line too long.
            buffer = Arrays.copyOf(buffer, (int) Math.min(2L * buffer.length, Strings.MAX_BYTES + 2));
        }
        start = 0;
        end = unread;
    }
}
