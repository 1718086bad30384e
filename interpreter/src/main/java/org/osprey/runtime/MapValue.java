package org.osprey.runtime;

import java.util.ArrayList;
import java.util.List;

import com.oracle.truffle.api.CompilerDirectives.TruffleBoundary;
import com.oracle.truffle.api.interop.InteropLibrary;
import com.oracle.truffle.api.interop.TruffleObject;
import com.oracle.truffle.api.interop.UnknownKeyException;
import com.oracle.truffle.api.interop.UnsupportedMessageException;
import com.oracle.truffle.api.library.ExportLibrary;
import com.oracle.truffle.api.library.ExportMessage;

/**
 * {@code Map<K, V>}: an immutable {@link PersistentMap}. Iteration order is unspecified (spec 0004). Other
 * languages see a read-only hash; their keys are converted like arguments ({@link HostValues}).
 */
@ExportLibrary(InteropLibrary.class)
public final class MapValue implements TruffleObject {
    public static final MapValue EMPTY = new MapValue(PersistentMap.EMPTY);

    public final PersistentMap map;
    /** Non-null only for the accumulator of a fold that edits its map in place ({@link #editing}). */
    private final PersistentMap.Edit edit;

    public MapValue(PersistentMap map) {
        this(map, null);
    }

    private MapValue(PersistentMap map, PersistentMap.Edit edit) {
        this.map = map;
        this.edit = edit;
    }

    /**
     * The accumulator of a fold whose body only reads it by key and gives {@code set(acc, k, v)}: the same entries
     * as {@code m}, updated by {@link #putInPlace} without copying the nodes that fold made itself. {@code m} is
     * not changed.
     */
    public static MapValue editing(MapValue m) {
        return new MapValue(m.map, new PersistentMap.Edit());
    }

    /** {@link #put}, in place for a map of {@link #editing}; this one is not seen again by the fold. */
    @TruffleBoundary
    public MapValue putInPlace(Object key, Object value) {
        if (edit == null) {
            return put(key, value);
        }
        PersistentMap n = map.putInPlace(key, value, edit);
        return n == map ? this : new MapValue(n, edit);
    }

    /** The map as an ordinary value once its fold has ended: never changed again. */
    public MapValue frozen() {
        return edit == null ? this : new MapValue(map);
    }

    public int size() {
        return map.size();
    }

    @TruffleBoundary
    public Object get(Object key) {
        return map.get(key);
    }

    @TruffleBoundary
    public MapValue put(Object key, Object value) {
        return new MapValue(map.put(key, value));
    }

    @TruffleBoundary
    public MapValue remove(Object key) {
        return new MapValue(map.remove(key));
    }

    /**
     * {@code this + right}, right-biased: the smaller map's entries go into the larger one, so the cost is
     * O(min(n, m) log32 max(n, m)) (spec 0004 Performance).
     */
    @TruffleBoundary
    public MapValue merge(MapValue right) {
        if (right.size() == 0) {
            return this;
        }
        if (size() == 0) {
            return right;
        }
        PersistentMap[] out = new PersistentMap[1];
        // A cancel or a time limit stops the merge of two large maps between entries (it waited for the end).
        if (right.size() <= size()) {
            out[0] = map;
            right.map.forEach((k, v) -> {
                com.oracle.truffle.api.TruffleSafepoint.poll(null);
                out[0] = out[0].put(k, v);
            });
        } else {
            out[0] = right.map;
            map.forEach((k, v) -> {
                com.oracle.truffle.api.TruffleSafepoint.poll(null);
                if (out[0].get(k) == null) {
                    out[0] = out[0].put(k, v);
                }
            });
        }
        return new MapValue(out[0]);
    }

    @TruffleBoundary
    public List<Object[]> entries() {
        List<Object[]> out = new ArrayList<>(map.size());
        map.forEach((k, v) -> {
            com.oracle.truffle.api.TruffleSafepoint.poll(null);
            out.add(new Object[] {k, v});
        });
        return out;
    }

    /** The entries in key order ({@link Compare#compareKeys}), as a map prints and as toJson writes it. */
    @TruffleBoundary
    public List<Object[]> sortedEntries() {
        List<Object[]> out = entries();
        out.sort((a, b) -> Compare.compareKeys(a[0], b[0]));
        return out;
    }

    @TruffleBoundary
    public boolean sameEntries(MapValue other) {
        if (size() != other.size()) {
            return false;
        }
        boolean[] same = {true};
        map.forEach((k, v) -> {
            Object o = other.map.get(k);
            if (o == null || !Compare.equal(v, o)) {
                same[0] = false;
            }
        });
        return same[0];
    }

    @Override
    @TruffleBoundary
    public String toString() {
        return Display.show(this);
    }

    @ExportMessage
    boolean hasLanguage() {
        return true;
    }

    @ExportMessage
    Class<? extends com.oracle.truffle.api.TruffleLanguage<?>> getLanguage() {
        return org.osprey.OspreyLanguage.class;
    }

    @ExportMessage
    boolean hasMetaObject() {
        return true;
    }

    @ExportMessage
    Object getMetaObject() {
        return MetaType.MAP;
    }

    @ExportMessage
    @TruffleBoundary
    Object toDisplayString(boolean allowSideEffects) {
        return Display.show(this);
    }

    @ExportMessage
    boolean hasHashEntries() {
        return true;
    }

    @ExportMessage
    long getHashSize() {
        return size();
    }

    @ExportMessage
    @TruffleBoundary
    boolean isHashEntryReadable(Object key) {
        return map.get(HostValues.toOsprey(key)) != null;
    }

    @ExportMessage
    @TruffleBoundary
    Object readHashValue(Object key) throws UnknownKeyException {
        Object v = map.get(HostValues.toOsprey(key));
        if (v == null) {
            throw UnknownKeyException.create(key);
        }
        return v;
    }

    /** Entries as {@code [key, value]} arrays, through the iterator every interop array has. */
    @ExportMessage
    @TruffleBoundary
    Object getHashEntriesIterator() throws UnsupportedMessageException {
        List<Object> entries = new ArrayList<>(map.size());
        map.forEach((k, v) -> entries.add(new TupleValue(new Object[] {k, v})));
        return InteropLibrary.getUncached().getIterator(ListValue.of(entries));
    }
}
