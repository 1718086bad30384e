package org.osprey.builtins;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

import org.osprey.runtime.ListValue;
import org.osprey.runtime.Strings;
import org.osprey.spi.Values;

/**
 * toJson stops when its text would be more than a string may hold, also within a string whose escapes grow it:
 * 400 million control characters (a string within the limit) were 2.4 billion chars escaped, and the program
 * ran out of memory before the text was measured. Here the limit is small.
 */
class JsonTextLimitTest {
    private static final long LIMIT = 1000;

    private static String written(Object value) {
        Object r = JsonBuiltins.write(value, LIMIT);
        return (Values.isSuccess(r) ? "Success: " : "Error: ") + Strings.java(Values.payload(r));
    }

    @Test
    void escapesStopAtTheLimit() {
        // 200 chars, 1,202 escaped.
        assertEquals("Error: toJson: the text would be more than the 1000 bytes a string can hold", written(Values.string("\u0001".repeat(200))));
        assertEquals("Error: toJson: the text would be more than the 1000 bytes a string can hold", written(Values.string("\"\\".repeat(300))));
        assertEquals("Success: \"" + "\\u0001".repeat(160) + "\"", written(Values.string("\u0001".repeat(160))));
    }

    @Test
    void aStringLongerThanTheLimitIsNotCopied() {
        assertEquals("Error: toJson: the text would be more than the 1000 bytes a string can hold", written(Values.string("x".repeat(1001))));
        assertEquals("Success: \"" + "x".repeat(998) + "\"", written(Values.string("x".repeat(998))));
    }

    @Test
    void manyStringsTogether() {
        ListValue.Builder b = new ListValue.Builder();
        for (int i = 0; i < 150; i++) { // 7 chars each: "\n\n",
            b.add(Values.string("\n\n"));
        }
        assertEquals("Error: toJson: the text would be more than the 1000 bytes a string can hold", written(b.build()));
    }
}
