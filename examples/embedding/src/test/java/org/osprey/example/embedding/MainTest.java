package org.osprey.example.embedding;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

/** The embedding example prints what docs/embedding.md promises. */
class MainTest {
    @Test
    void theExampleRunsOspreyFromJava() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Main.run(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        assertEquals("""
                        item: tea x3 at 4.5
                        as Osprey shows it: Item { name: "tea", price: 4.5, quantity: 3 }
                        subtotal: 37.5
                        discount: Discount.Fixed 5.0
                        with tax: 5.4, 14.4
                        refused: item: argument 2 ('price') must be float, not the string "cheap"
                        failed: division by zero at line 8
                        rejected (syntax error: true): Unnamed:1:31: type mismatch in the result of 'broken': expected string, found int (use toString(...) or "${...}" to make a string)
                        """, bytes.toString(StandardCharsets.UTF_8));
    }
}
