package org.osprey.launcher;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Set;

/**
 * Where Truffle unpacks its internal resources, among them the native library it attaches with, without
 * which there is no optimizing runtime: the Graal JIT, and options such as {@code --engine.TraceCompilation}.
 *
 * <p>Truffle's place is {@code $XDG_CACHE_HOME/org.graalvm.polyglot}, else {@code ~/.cache/org.graalvm.polyglot}
 * with {@code ~} the account's home directory. A user whose home is not writable (a service account such as
 * nobody, whose home is /nonexistent; a read-only home in a container) got nine lines of Truffle's warning
 * about a "repackaged fat JAR" on every run, and programs ran without the JIT. The launcher then gives
 * Truffle a directory of the user's own under the temporary directory instead; where even that cannot be had
 * it says so in one line and runs without the JIT. A place given with {@code
 * -Dpolyglot.engine.userResourceCache} (OSPREY_JAVA_OPTS) is left to Truffle.
 */
final class ResourceCache {
    static final String PROPERTY = "polyglot.engine.userResourceCache";

    private ResourceCache() {
    }

    /** Before the first engine: chooses the place if Truffle's own will not do; err gets the one line. */
    static void choose(PrintStream err) {
        if (System.getProperty(PROPERTY) != null) {
            return;
        }
        Path usual = usual();
        if (usual == null || canWrite(usual)) {
            return;
        }
        Path own = Path.of(System.getProperty("java.io.tmpdir"), "osprey-" + System.getProperty("user.name") + "-resources");
        if (ownPrivateDirectory(own)) {
            System.setProperty(PROPERTY, own.toString());
        } else {
            // Truffle's own warning speaks of a repackaged JAR, which is not what happened.
            System.setProperty("polyglotimpl.AttachLibraryFailureAction", "ignore");
            System.setProperty("polyglot.engine.WarnInterpreterOnly", "false");
            err.println("osprey: running without the JIT: Truffle needs a cache directory of this user's, and neither " + usual + " nor " + own
                            + " is one (XDG_CACHE_HOME chooses the first)");
        }
    }

    /** Truffle's place on this system (its rule on Linux and other Unix systems), or null where not known. */
    static Path usual() {
        String os = System.getProperty("os.name", "");
        String home = System.getProperty("user.home");
        if (os.startsWith("Windows") || home == null) {
            return null;
        }
        if (os.startsWith("Mac")) {
            return Path.of(home, "Library", "Caches", "org.graalvm.polyglot");
        }
        String xdg = System.getenv("XDG_CACHE_HOME");
        if (xdg != null && !xdg.isEmpty() && xdg.startsWith("/")) {
            return Path.of(xdg, "org.graalvm.polyglot");
        }
        return Path.of(home, ".cache", "org.graalvm.polyglot");
    }

    /** Whether dir is a writable directory, or could be made: its nearest existing ancestor is writable. */
    static boolean canWrite(Path dir) {
        Path p = dir;
        while (p != null && !Files.exists(p)) {
            p = p.getParent();
        }
        return p != null && Files.isDirectory(p) && Files.isWritable(p);
    }

    /**
     * Whether dir is (or now is) a directory of this user's that no one else may write to: another user of a
     * shared temporary directory must not be able to put a library there for us to load.
     */
    static boolean ownPrivateDirectory(Path dir) {
        try {
            Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(EnumSet.of(PosixFilePermission.OWNER_READ,
                            PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_EXECUTE)));
        } catch (FileAlreadyExistsException e) {
            // checked below
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
        try {
            if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)
                            || !Files.getOwner(dir, LinkOption.NOFOLLOW_LINKS).getName().equals(System.getProperty("user.name"))) {
                return false;
            }
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(dir, LinkOption.NOFOLLOW_LINKS);
            return !perms.contains(PosixFilePermission.GROUP_WRITE) && !perms.contains(PosixFilePermission.OTHERS_WRITE) && Files.isWritable(dir);
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }
}
