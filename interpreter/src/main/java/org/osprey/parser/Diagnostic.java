package org.osprey.parser;

/** A problem found before the program runs: a character range in the source and a message for a person. */
public record Diagnostic(int start, int end, String message) {
}
