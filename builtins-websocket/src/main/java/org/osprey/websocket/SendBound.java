package org.osprey.websocket;

/**
 * The bound on one connection's unsent data (design/websocket.md: a send past the bound is an Error, never
 * a silent drop or unbounded memory). Two marks, so that a connection does not flicker between refusing and
 * accepting while the kernel takes a few bytes at a time: sends are refused from the moment the unsent data
 * reaches the bound until the peer has read it down to half the bound.
 */
final class SendBound {
    /** When the connection became full (never 0 then); 0 while it is not. */
    private volatile long fullSinceNanos;

    /** Whether a send must be refused with this much unsent data; the connection becomes full if it reaches the bound. */
    boolean refuses(long unsent, long bound) {
        if (fullSinceNanos != 0) {
            if (unsent >= bound / 2) {
                return true;
            }
            fullSinceNanos = 0;
            return false;
        }
        if (unsent >= bound) {
            fullSinceNanos = System.nanoTime() | 1;
            return true;
        }
        return false;
    }

    /** For the guard: whether the peer has read enough to take sends again (and the connection is no longer full). */
    boolean caughtUp(long unsent, long bound) {
        if (unsent < bound / 2) {
            fullSinceNanos = 0;
            return true;
        }
        return false;
    }

    boolean full() {
        return fullSinceNanos != 0;
    }

    long fullSinceNanos() {
        return fullSinceNanos;
    }

    /** The Error message for a refused send on connection {@code wsId}. */
    static String refusal(long wsId, long unsent, long bound) {
        return "cannot send on WebSocket connection " + wsId + ": " + unsent + " bytes are waiting to be sent and the other side is not reading"
                        + " (limit " + bound + " bytes; sending resumes below " + bound / 2 + ")";
    }
}
