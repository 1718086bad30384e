package org.osprey.builtins;

import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import com.oracle.truffle.api.strings.TruffleString;

import org.osprey.InputLines;
import org.osprey.spi.Values;

/**
 * One process started by spawnProcess. Two reader threads of its own turn its standard output and standard
 * error into line events; the reader that sees the second end of stream waits for the process to exit and
 * posts the exit event, so that event always comes after every line. The readers never run Osprey code: the
 * {@link ProcessTable}'s dispatcher delivers the events to the callback.
 */
final class ChildProcess {
    /** Event types of spec 0012's example handler. */
    static final long STDOUT = 1;
    static final long STDERR = 2;
    static final long EXIT = 3;

    final long id;
    final Process process;
    final Object callback;
    private final ProcessTable table;
    /** Opens once the exit event has been handed to the callback (or dropped, after cleanup or close). */
    final CountDownLatch finished = new CountDownLatch(1);
    private final AtomicInteger openStreams = new AtomicInteger(2);
    private volatile int exitCode;
    private volatile boolean exited;
    /** Set by cleanupProcess and when the context closes: no more events are delivered. */
    volatile boolean forgotten;
    /** Set once its callback can be called no more (ProcessTable.settle), which is counted once. */
    final java.util.concurrent.atomic.AtomicBoolean settled = new java.util.concurrent.atomic.AtomicBoolean();

    /** The run (REPL entry) that started it. */
    final long run;

    /** The operating system's process, to reach its descendants; null if not known (ProcessTable.start). */
    private final ProcessHandle handle;

    ChildProcess(long id, Process process, ProcessHandle handle, Object callback, ProcessTable table, long run) {
        this.id = id;
        this.run = run;
        this.process = process;
        this.handle = handle;
        this.callback = callback;
        this.table = table;
    }

    /** Starts the two reader threads, which the table keeps track of until they end. */
    void startReaders() {
        startReader(process.getInputStream(), STDOUT, "stdout");
        startReader(process.getErrorStream(), STDERR, "stderr");
    }

    private void startReader(InputStream stream, long kind, String name) {
        Thread t = new Thread(() -> {
            try {
                read(stream, kind);
            } finally {
                table.readerEnded(Thread.currentThread());
            }
        }, "osprey-process-" + id + "-" + name);
        t.setDaemon(true); // a grandchild that keeps the pipe open must not keep the JVM alive
        table.readerStarted(t);
        t.start();
    }

    private void read(InputStream stream, long kind) {
        try {
            InputLines lines = InputLines.ofProcessOutput(stream);
            TruffleString line;
            while ((line = lines.next()) != null) {
                if (!table.post(this, kind, line)) {
                    return;
                }
            }
        } catch (IOException e) {
            // The pipe was closed under us (cleanup, or the context closing): there is nothing more to read.
        } catch (OutOfMemoryError e) {
            // A line too long for the heap (a string may hold 1 GiB): one line on standard error instead of the
            // JVM's trace, and the rest of the stream read and dropped, so that the process goes on to its exit
            // rather than stopping at a pipe nobody reads.
            table.readerFailed(this, kind == STDOUT ? "standard output" : "standard error", e);
            drain(stream);
        } finally {
            try {
                stream.close();
            } catch (IOException e) {
                // closed already
            }
            if (openStreams.decrementAndGet() == 0) {
                exitCode = waitForExit();
                exited = true;
                if (!table.post(this, EXIT, Values.string(Integer.toString(exitCode)))) {
                    // Forgotten (cleanupProcess) or the context closing: no callback gets the event, and with the
                    // queue full it was not even queued, so the dispatcher would never open the latch for an
                    // awaitProcess that was already waiting (a callback or a fiber cleaned the process up).
                    finished.countDown();
                }
            }
        }
    }

    private static void drain(InputStream stream) {
        byte[] buffer = new byte[8192];
        try {
            while (stream.read(buffer) >= 0) {
                // dropped
            }
        } catch (IOException e) {
            // closed (cleanup, or the context closing): nothing more comes
        }
    }

    private int waitForExit() {
        while (true) {
            try {
                return process.waitFor();
            } catch (InterruptedException e) {
                kill();
            }
        }
    }

    /** The exit code, once {@link #finished} is open and {@link #exited()}. */
    int exitCode() {
        return exitCode;
    }

    /** Has the process exited? False when {@link #finished} was opened only because the context closed. */
    boolean exited() {
        return exited;
    }

    /** The operating system's processes of this one: its descendants and itself (none if its handle is not known). */
    java.util.List<ProcessHandle> family() {
        java.util.List<ProcessHandle> family = new java.util.ArrayList<>();
        if (handle != null) {
            family.addAll(handle.descendants().toList());
            family.add(handle);
        }
        return family;
    }

    /**
     * Kills the process and the processes it started that are still its descendants: the command's own
     * children ({@code sh -c "a | b"} runs a and b as children of the shell) would otherwise live on. The
     * descendants are listed first and killed after the process, parents before their children: a shell
     * whose child was killed first went on to its next command ({@code sleep 60; rm x} ran {@code rm x},
     * and exited 0) in the moment before its own turn came.
     */
    void kill() {
        if (process.isAlive()) {
            java.util.List<ProcessHandle> descendants = handle == null ? java.util.List.of() : handle.descendants().toList();
            process.destroyForcibly();
            descendants.forEach(ProcessHandle::destroyForcibly);
        }
    }
}
