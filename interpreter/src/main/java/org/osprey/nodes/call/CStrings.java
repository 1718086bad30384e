package org.osprey.nodes.call;

import java.nio.charset.StandardCharsets;

import com.oracle.truffle.api.CompilerDirectives.TruffleBoundary;
import com.oracle.truffle.api.TruffleLanguage;
import com.oracle.truffle.api.interop.InteropException;
import com.oracle.truffle.api.interop.InteropLibrary;
import com.oracle.truffle.api.strings.InternalByteArray;
import com.oracle.truffle.api.strings.TruffleString;

import org.osprey.runtime.Strings;

/**
 * Strings between Osprey and the C functions of extern declarations (spec 0003's {@code char *}), as the bytes
 * of their UTF-8. Truffle's native function interface would convert a string itself (its type STRING), but
 * through JNI's "modified UTF-8", in which a NUL is two bytes (C saw "a\0b" as four bytes, not one) and a
 * character beyond U+FFFF six (strlen of an emoji was 6), and it read a C string back the same way, so that
 * an emoji came back as Latin-1 characters. Here a string goes to C as an array of its UTF-8 and a NUL, and
 * a C string is read with the C library's own strlen and memcpy. One per context (its NFI functions); the
 * calls of those go through the caller's {@code interop}, a dispatched library (the uncached one took 8
 * microseconds for a strstr).
 */
public final class CStrings {
    private final TruffleLanguage.Env env;
    private final Object strlen;
    private final Object copyToC;
    private final Object copyFromC;
    private final Object malloc;
    private final Object free;

    /**
     * The C library's functions, bound: {@code strlen (POINTER):UINT64}, {@code memcpy} both ways
     * ({@code (POINTER, [UINT8], UINT64):POINTER} and {@code ([UINT8], POINTER, UINT64):POINTER}),
     * {@code malloc (UINT64):POINTER} and {@code free (POINTER):VOID}.
     */
    public CStrings(TruffleLanguage.Env env, Object strlen, Object copyToC, Object copyFromC, Object malloc, Object free) {
        this.env = env;
        this.strlen = strlen;
        this.copyToC = copyToC;
        this.copyFromC = copyFromC;
        this.malloc = malloc;
        this.free = free;
    }

    /** The string's UTF-8 and a NUL as the native function interface passes an array: C gets a pointer to the bytes during the call. */
    @TruffleBoundary
    Object array(Object s) {
        return env.asGuestValue(nulTerminated(s));
    }

    /**
     * A copy of the string's UTF-8 and a NUL in memory of C's malloc, for a call whose string result may point
     * into its argument: unlike an array, the copy is still there when the result is read. {@link #free} gives it
     * back; null if malloc had no memory for it.
     */
    Object copy(Object s, InteropLibrary interop) throws InteropException {
        byte[] bytes = nulTerminated(s);
        Object p = interop.execute(malloc, (long) bytes.length);
        if (interop.isNull(p)) {
            return null;
        }
        interop.execute(copyToC, p, env.asGuestValue(bytes), (long) bytes.length);
        return p;
    }

    void free(Object p, InteropLibrary interop) throws InteropException {
        interop.execute(free, p);
    }

    /**
     * The C string at {@code p} (not null), copied: its bytes up to the NUL as UTF-8, where a byte that is not
     * UTF-8 reads as U+FFFD (as a file's would); null if it is longer than an Osprey string may be.
     */
    TruffleString read(Object p, InteropLibrary interop) throws InteropException {
        long length = interop.asLong(interop.execute(strlen, p));
        if (length > Strings.MAX_BYTES) {
            return null;
        }
        if (length == 0) {
            return Strings.EMPTY;
        }
        byte[] bytes = new byte[(int) length];
        interop.execute(copyFromC, env.asGuestValue(bytes), p, length);
        TruffleString s = TruffleString.fromByteArrayUncached(bytes, Strings.ENCODING, false);
        return s.isValidUncached(Strings.ENCODING) ? s : Strings.of(new String(bytes, StandardCharsets.UTF_8));
    }

    private static byte[] nulTerminated(Object s) {
        InternalByteArray b = Strings.utf8((TruffleString) s).getInternalByteArrayUncached(Strings.ENCODING);
        byte[] bytes = new byte[b.getLength() + 1]; // the last stays 0: C's end of the string
        System.arraycopy(b.getArray(), b.getOffset(), bytes, 0, b.getLength());
        return bytes;
    }
}
