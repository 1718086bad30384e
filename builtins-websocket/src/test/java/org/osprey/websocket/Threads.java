package org.osprey.websocket;

import java.util.List;

/** Checks that a component returned its threads. */
final class Threads {
    private Threads() {
    }

    static List<String> named(String part) {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName).filter(n -> n.contains(part)).sorted().toList();
    }

    static void awaitNone(String part) throws InterruptedException {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (!named(part).isEmpty()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("threads left behind: " + named(part));
            }
            Thread.sleep(20);
        }
    }
}
