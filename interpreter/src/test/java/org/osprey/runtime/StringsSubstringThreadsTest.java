package org.osprey.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import com.oracle.truffle.api.strings.TruffleString;

import org.junit.jupiter.api.Test;

/**
 * {@link Strings#substring} far into long strings with multi-byte characters starts from the position looked up
 * last in the same string, which is shared by every thread (fibers and handlers run on threads of their own).
 * Threads scanning the same strings at once, forwards, backwards and by strides, must each get the character
 * at the index they ask for, whatever position another thread left behind.
 */
class StringsSubstringThreadsTest {
    private static final String UNIT = "aé日😀bcñ€";

    @Test
    void threadsScanningTheSameStringsGetTheirOwnCharacters() throws Exception {
        List<String> texts = List.of(UNIT.repeat(2000), "ÿ€x".repeat(5000), "日本".repeat(4000) + "é".repeat(3000));
        List<TruffleString> strings = texts.stream().map(Strings::of).toList();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Integer>> done = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int thread = t;
                Callable<Integer> scan = () -> {
                    int checked = 0;
                    for (int round = 0; round < 3; round++) {
                        for (int k = 0; k < texts.size(); k++) {
                            checked += scan(texts.get(k), strings.get(k), thread);
                        }
                    }
                    return checked;
                };
                done.add(pool.submit(scan));
            }
            for (Future<Integer> f : done) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** Every character of {@code s} in an order of the thread's, each compared with the Java string's. */
    private static int scan(String text, TruffleString s, int thread) {
        int[] codePoints = text.codePoints().toArray();
        int n = codePoints.length;
        int stride = 1 + thread % 4 * 37; // 1, 38, 75, 112: shorter and longer than the index's step
        boolean backwards = thread % 2 == 1;
        int checked = 0;
        for (int start = 0; start < stride; start++) {
            for (int k = start; k < n; k += stride) {
                int i = backwards ? n - 1 - k : k;
                TruffleString c = Strings.substring(s, i, i + 1, n);
                assertEquals(Character.toString(codePoints[i]), Strings.java(c), "code point " + i + " of a text of " + n);
                checked++;
            }
        }
        return checked;
    }
}
