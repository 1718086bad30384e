package org.osprey.launcher;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The annotation types the launcher makes proxies for ahead of the engine are still those of this Truffle. */
class AnnotationProxiesTest {
    @Test
    void everyListedTypeIsAnAnnotationOfThisBuild() throws ClassNotFoundException {
        for (String name : AnnotationProxies.TYPES) {
            Class<?> type = Class.forName(name, false, AnnotationProxies.class.getClassLoader());
            assertTrue(type.isAnnotation(), name);
        }
    }
}
