import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;

import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.Source;
import org.graalvm.polyglot.proxy.ProxyExecutable;

/**
 * Runs one JavaScript file with GraalJS on the JVM, for the GraalJS column of the suite. The cases that read a
 * seed call {@code __benchReadLine()} when it exists (node reads file descriptor 0 instead); here it reads a
 * line of the process's standard input.
 *
 * {@code java ... RunJs FILE.js}
 */
public final class RunJs {
    private RunJs() {
    }

    public static void main(String[] args) throws IOException {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in));
        try (Context context = Context.newBuilder("js").out(System.out).err(System.err).build()) {
            context.getBindings("js").putMember("__benchReadLine", (ProxyExecutable) a -> {
                try {
                    return in.readLine();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            context.eval(Source.newBuilder("js", new File(args[0])).build());
        }
    }
}
