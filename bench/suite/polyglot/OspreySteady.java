import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.nio.charset.StandardCharsets;

import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.Source;

/**
 * Steady-state timing of one Osprey program: one context, the same Source evaluated again and again (the
 * engine keeps its parse and its compiled code), timed by {@link Steady} like the plain Java case it is
 * compared with. What the program prints is captured; its last line is the result.
 *
 * {@code java ... OspreySteady WARMUP_SECONDS MEASURE_SECONDS FILE.osp}
 */
public final class OspreySteady {
    private OspreySteady() {
    }

    public static void main(String[] args) throws Exception {
        // Osprey loops by recursion: a large stack, as the osprey launcher gives its programs.
        Thread t = new Thread(null, () -> run(args), "osprey-steady", 1L << 30);
        t.start();
        t.join();
    }

    private static void run(String[] args) {
        double warmup = Double.parseDouble(args[0]);
        double measure = Double.parseDouble(args[1]);
        File file = new File(args[2]);
        String name = file.getName().replaceFirst("\\.osp$", "");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] input = "0\n".repeat(1 << 16).getBytes(StandardCharsets.UTF_8);
        try (Context context = Context.newBuilder("osprey").allowAllAccess(true).out(out).err(System.err)
                        .in(new ByteArrayInputStream(input)).build()) {
            Source source;
            try {
                source = Source.newBuilder("osprey", file).build();
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            Steady.report(name, warmup, measure, () -> {
                out.reset();
                context.eval(source);
                String[] lines = out.toString(StandardCharsets.UTF_8).trim().split("\n");
                return Long.parseLong(lines[lines.length - 1].trim());
            });
        }
    }
}
