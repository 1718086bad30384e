package org.osprey.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * An internal error's message is cut (Runner.report): a Java exception's message may hold a whole value of the
 * program, and one holding a string of half a gigabyte was printed to the terminal in full.
 */
class ShortenedTest {
    @Test
    void aLongMessageIsCutAndSaysHowMuchWasLeftOut() {
        assertEquals("short", Runner.shortened("short", 10));
        assertEquals("exactly 10", Runner.shortened("exactly 10", 10));
        assertEquals("0123456789... (5 more characters)", Runner.shortened("012345678901234", 10));
        // Not between the two halves of a character beyond the BMP.
        assertEquals("012345678... (3 more characters)", Runner.shortened("012345678\uD83D\uDE00x", 10));
        assertEquals(null, Runner.shortened(null, 10));
    }
}
