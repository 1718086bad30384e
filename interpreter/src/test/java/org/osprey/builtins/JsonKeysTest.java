package org.osprey.builtins;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import org.osprey.runtime.DataValue;
import org.osprey.runtime.ListValue;
import org.osprey.runtime.MapValue;

/** parseJson makes each key once: an array of objects repeats its keys, and each copy cost memory. */
class JsonKeysTest {
    @Test
    void aKeyRepeatedInManyObjectsIsOneString() {
        Object parsed = ((DataValue) JsonBuiltins.parse("[{\"id\": 1, \"name\": \"a\"}, {\"name\": \"b\", \"id\": 2}, {\"id\": {\"id\": 3}}]")).field(0);
        List<Object> ids = new ArrayList<>();
        ListValue.Cursor c = ((ListValue) parsed).cursor();
        while (c.hasNext()) {
            collectKeys((MapValue) c.next(), "id", ids);
        }
        assertEquals(4, ids.size());
        for (Object id : ids) {
            assertSame(ids.get(0), id);
        }
    }

    private static void collectKeys(MapValue m, String name, List<Object> into) {
        for (Object[] e : m.entries()) {
            if (e[0].toString().equals(name)) {
                into.add(e[0]);
            }
            if (e[1] instanceof MapValue inner) {
                collectKeys(inner, name, into);
            }
        }
    }
}
