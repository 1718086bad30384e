package org.osprey.builtins;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

import com.oracle.truffle.api.TruffleFile;
import com.oracle.truffle.api.strings.TruffleString;

import org.osprey.runtime.Display;
import org.osprey.runtime.Strings;
import org.osprey.spi.BuiltinContext;
import org.osprey.spi.BuiltinRegistry;
import org.osprey.spi.Values;
import org.osprey.tooling.Utf8Text;

/**
 * The file functions of spec 0012 (category "fs", which --no-fs and --sandbox take away). Paths go through
 * Truffle's file API, so a relative path is resolved against the context's working directory and the
 * embedder's IO policy applies. Text is UTF-8 both ways. Every failure is an {@code Error} whose message
 * names the operation, the path as the program wrote it, and the reason: {@code cannot read 'notes.txt':
 * no such file}.
 */
final class FileBuiltins {
    private FileBuiltins() {
    }

    static final String CATEGORY = "fs";

    static void register(BuiltinRegistry r) {
        r.function("writeFile(path: string, content: string) -> Result<Success, string>", CATEGORY,
                        "Writes the text to the file as UTF-8, creating the file or replacing what it held.",
                        (c, a) -> write(c, Strings.java(a[0]), (TruffleString) a[1], false));
        r.function("appendFile(path: string, content: string) -> Result<Success, string>", CATEGORY,
                        "Adds the text to the end of the file as UTF-8 (an extension), creating the file if it does not exist.",
                        (c, a) -> write(c, Strings.java(a[0]), (TruffleString) a[1], true));
        r.function("readFile(path: string) -> Result<string, string>", CATEGORY, "The file's content, which must be UTF-8 text.",
                        (c, a) -> read(c, Strings.java(a[0])));
        r.function("deleteFile(path: string) -> Result<Success, string>", CATEGORY, "Deletes a file (not a directory).",
                        (c, a) -> delete(c, Strings.java(a[0])));
        r.function("createDirectory(path: string) -> Result<Success, string>", CATEGORY,
                        "Creates a directory and any missing parents; Success if it already exists.",
                        (c, a) -> createDirectory(c, Strings.java(a[0])));
        r.function("fileExists(path: string) -> bool", CATEGORY, "Whether a file or directory exists at the path.",
                        (c, a) -> exists(c, Strings.java(a[0])));
    }

    private static Object fail(String operation, String path, String reason) {
        return Values.error("cannot " + operation + " '" + Display.visible(path) + "': " + reason);
    }

    private static Object write(BuiltinContext c, String path, TruffleString content, boolean append) {
        String operation = append ? "append to" : "write";
        if (path.isEmpty()) {
            return fail(operation, path, "the path is empty");
        }
        TruffleFile file = null;
        try {
            file = c.env().getPublicTruffleFile(path);
            if (file.isDirectory()) {
                return fail(operation, path, "it is a directory");
            }
            if (namesDirectory(path)) {
                return fail(operation, path, file.exists() ? notADirectory(path) : "a path ending in '/' names a directory");
            }
            byte[] bytes = content.copyToByteArrayUncached(Strings.ENCODING);
            // Appending opens the file with O_APPEND: the text goes to its end as it is then, also when another
            // process writes to it meanwhile (two programs logging to one file lose neither's lines).
            try (OutputStream out = append ? file.newOutputStream(StandardOpenOption.CREATE, StandardOpenOption.APPEND) : file.newOutputStream()) {
                out.write(bytes);
            }
            return Values.ok();
        } catch (IOException | SecurityException | InvalidPathException | UnsupportedOperationException e) {
            String why = e instanceof NoSuchFileException || FileErrors.isNotDirectory(e) ? parentProblem(c, file) : null;
            return fail(operation, path, why != null ? why : FileErrors.reason(e));
        }
    }

    private static Object read(BuiltinContext c, String path) {
        if (path.isEmpty()) {
            return fail("read", path, "the path is empty");
        }
        TruffleFile file = null;
        try {
            file = c.env().getPublicTruffleFile(path);
            if (file.isDirectory()) {
                return fail("read", path, "it is a directory");
            }
            if (namesDirectory(path) && file.exists()) {
                return fail("read", path, notADirectory(path));
            }
            long size = file.size();
            if (size > Strings.MAX_BYTES) {
                return fail("read", path, "it holds " + size + " bytes, more than a string can (" + Strings.MAX_BYTES + ")");
            }
            // A size of 0 is also what a device, a pipe or a /proc file reports, whose bytes are only known by
            // reading them: readFile("/dev/zero") ran out of array at 1 GiB with an internal error.
            byte[] bytes = size > 0 ? file.readAllBytes() : readAtMost(file, Strings.MAX_BYTES);
            if (bytes == null) {
                return fail("read", path, "it holds more bytes than a string can (" + Strings.MAX_BYTES + ")");
            }
            TruffleString text = TruffleString.fromByteArrayUncached(bytes, Strings.ENCODING, false);
            if (!text.isValidUncached(Strings.ENCODING)) {
                Utf8Text.Malformed m = Utf8Text.firstMalformed(bytes);
                return fail("read", path, "it is not UTF-8 text" + (m == null ? "" : " (" + m.describe() + ")"));
            }
            return Values.success(text);
        } catch (IOException | SecurityException | InvalidPathException | UnsupportedOperationException e) {
            String why = e instanceof NoSuchFileException || FileErrors.isNotDirectory(e) ? parentProblem(c, file) : null;
            return fail("read", path, why != null ? why : FileErrors.reason(e));
        }
    }

    /** The bytes of a file whose size is not known beforehand, or null if there are more than {@code limit}. */
    private static byte[] readAtMost(TruffleFile file, long limit) throws IOException {
        try (InputStream in = file.newInputStream()) {
            byte[] buffer = new byte[8192];
            int filled = 0;
            while (true) {
                if (filled == buffer.length) {
                    if (filled > limit) {
                        return null;
                    }
                    buffer = Arrays.copyOf(buffer, (int) Math.min(2L * filled, limit + 1));
                }
                int n = in.read(buffer, filled, buffer.length - filled);
                if (n < 0) {
                    return Arrays.copyOf(buffer, filled);
                }
                filled += n;
            }
        }
    }

    private static Object delete(BuiltinContext c, String path) {
        if (path.isEmpty()) {
            return fail("delete", path, "the path is empty");
        }
        TruffleFile file = null;
        try {
            file = c.env().getPublicTruffleFile(path);
            if (file.isDirectory(LinkOption.NOFOLLOW_LINKS) || namesDirectory(path) && file.isDirectory()) {
                return fail("delete", path, "it is a directory");
            }
            if (namesDirectory(path) && (file.exists() || file.isSymbolicLink())) {
                return fail("delete", path, notADirectory(path));
            }
            file.delete();
            return Values.ok();
        } catch (IOException | SecurityException | InvalidPathException | UnsupportedOperationException e) {
            String why = e instanceof NoSuchFileException || FileErrors.isNotDirectory(e) ? parentProblem(c, file) : null;
            return fail("delete", path, why != null ? why : FileErrors.reason(e));
        }
    }

    /** Like {@code mkdir -p}: missing parents are created too, and an existing directory is a success. */
    private static Object createDirectory(BuiltinContext c, String path) {
        if (path.isEmpty()) {
            return fail("create directory", path, "the path is empty");
        }
        TruffleFile file = null;
        try {
            file = c.env().getPublicTruffleFile(path);
            if (file.isDirectory()) {
                return Values.ok();
            }
            // Not exists(NOFOLLOW_LINKS): with a context working directory, Truffle 25.0.1 resolves a relative
            // path against the JVM's directory for that one check.
            if (file.exists() || file.isSymbolicLink()) {
                return fail("create directory", path, "a file of that name exists");
            }
            String gone = file.isAbsolute() ? null : FileErrors.workingDirectoryGone(c.env());
            if (gone != null) {
                // Else the missing parents made would include the removed working directory itself (a new one of
                // its name), where mkdir -p fails.
                return fail("create directory", path, gone);
            }
            file.createDirectories();
            return Values.ok();
        } catch (IOException | SecurityException | InvalidPathException | UnsupportedOperationException e) {
            String why = e instanceof FileAlreadyExistsException || FileErrors.isNotDirectory(e) ? parentProblem(c, file) : null;
            return fail("create directory", path, why != null ? why : FileErrors.reason(e));
        }
    }

    private static boolean exists(BuiltinContext c, String path) {
        if (path.isEmpty()) {
            return false;
        }
        try {
            TruffleFile file = c.env().getPublicTruffleFile(path);
            return file.exists() && (!namesDirectory(path) || file.isDirectory());
        } catch (SecurityException | InvalidPathException | UnsupportedOperationException e) {
            return false;
        }
    }

    /**
     * A path written with a '/' at its end names a directory, as it does to the system ({@code cat notes.txt/}
     * fails): Java drops that '/', and {@code writeFile("notes.txt/", ...)} replaced the file notes.txt.
     */
    private static boolean namesDirectory(String path) {
        return path.length() > 1 && path.endsWith("/");
    }

    /** The reason for a path ending in '/' whose last part is not a directory, naming that part. */
    private static String notADirectory(String path) {
        String part = path;
        while (part.length() > 1 && part.endsWith("/")) {
            part = part.substring(0, part.length() - 1);
        }
        return "'" + Display.visible(part) + "' is not a directory";
    }

    /**
     * Why the directories above {@code file} cannot hold it, in the program's own spelling of the path: a
     * file standing where a directory should be, or a missing directory. Null if neither is the case.
     */
    private static String parentProblem(BuiltinContext c, TruffleFile file) {
        if (file != null && !file.isAbsolute()) {
            String gone = FileErrors.workingDirectoryGone(c.env());
            if (gone != null) {
                return gone;
            }
        }
        if (file == null || file.getParent() == null) {
            return null;
        }
        try {
            for (TruffleFile p = file.getParent(); p != null; p = p.getParent()) {
                if (p.exists()) {
                    if (!p.isDirectory()) {
                        return "'" + Display.visible(p.getPath()) + "' is not a directory";
                    }
                    break;
                }
            }
            return file.getParent().exists() ? null : "no such directory '" + Display.visible(file.getParent().getPath()) + "'";
        } catch (SecurityException e) {
            return null;
        }
    }
}
