package org.osprey.websocket;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * Failures without a message in words: the fallback was the Java class's name ("EOFException"), which reached
 * the program's Error. And a message with a control character shows it escaped, as every other message does.
 */
class NetErrorsTest {
    @Test
    void aFailureWithoutAMessageIsSaidInWords() {
        assertEquals("the connection ended unexpectedly", NetErrors.describe(new java.io.EOFException()));
        assertEquals("the connection ended unexpectedly", NetErrors.describe(new java.net.SocketException()));
        assertEquals("the connection is closed", NetErrors.describe(new java.nio.channels.ClosedChannelException()));
        assertEquals("the connection failed (no reason was given)", NetErrors.describe(new IllegalStateException()));
        assertEquals("the connection failed (no reason was given)", NetErrors.describe(new RuntimeException(new NullPointerException())));
    }

    @Test
    void aMessageShowsItsControlCharacters() {
        assertEquals("bad\\r\\nline", NetErrors.describe(new java.io.IOException("bad\r\nline")));
    }
}
