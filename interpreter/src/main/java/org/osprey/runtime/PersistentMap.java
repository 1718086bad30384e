package org.osprey.runtime;

import java.util.Arrays;
import java.util.function.BiConsumer;

/**
 * An immutable hash array mapped trie (Bagwell 2000), branching factor 32 (spec 0004 TYPE-MAP): lookup,
 * insert and remove in expected O(log32 n), copying one path per update. Keys use Osprey equality and
 * hashing ({@link Compare}), so strings compare by content.
 *
 * <p>Arrays are copied with {@code Arrays.copyOf}, not {@code clone()}: C1, which compiles the interpreter's
 * own code, makes {@code clone()} a call into the VM (45 ns for 16 elements, against 12).
 */
public final class PersistentMap {
    public static final PersistentMap EMPTY = new PersistentMap(null, 0);

    private final Node root;
    private final int size;

    private PersistentMap(Node root, int size) {
        this.root = root;
        this.size = size;
    }

    public int size() {
        return size;
    }

    /** The value for {@code key}, or null if absent (Osprey values are never null). */
    public Object get(Object key) {
        return root == null ? null : root.find(0, Compare.hash(key), key);
    }

    public PersistentMap put(Object key, Object value) {
        boolean[] added = new boolean[1];
        Node base = root == null ? BitmapNode.EMPTY : root;
        Node n = base.put(0, Compare.hash(key), key, value, added);
        return n == root ? this : new PersistentMap(n, added[0] ? size + 1 : size);
    }

    /**
     * A map's editing by one fold that alone sees its accumulator ({@code fold(initial: m, (acc, x) => set(acc,
     * k, v))}, where the body reads {@code acc} only as {@code acc[key]}): the nodes it made are changed in place
     * by its later updates instead of being copied again (Clojure's transients). A fresh edit per run of the
     * fold, dropped when it ends, so the nodes it leaves behind are never changed again.
     */
    public static final class Edit {
        /** Whether the last update added a key (instead of a boolean[] per update). */
        boolean added;
    }

    /** {@link #put} for the holder of {@code edit}: nodes it made are updated in place, others copied once. */
    public PersistentMap putInPlace(Object key, Object value, Edit edit) {
        edit.added = false;
        Node base = root == null ? BitmapNode.EMPTY : root;
        Node n = base.putInPlace(0, Compare.hash(key), key, value, edit);
        if (n == root && !edit.added) {
            return this;
        }
        return new PersistentMap(n, edit.added ? size + 1 : size);
    }

    public PersistentMap remove(Object key) {
        if (root == null) {
            return this;
        }
        Node n = root.remove(0, Compare.hash(key), key);
        if (n == root) {
            return this;
        }
        return new PersistentMap(n, size - 1);
    }

    public void forEach(BiConsumer<Object, Object> f) {
        if (root != null) {
            root.forEach(f);
        }
    }

    /** Walks the entries without recursion or copying, in the same (unspecified) order as forEach. */
    public EntryCursor cursor() {
        return new EntryCursor(root);
    }

    /** A pull cursor over the trie: a stack of the nodes being walked and the position in each. */
    public static final class EntryCursor {
        private Node[] nodes = new Node[8];
        private int[] positions = new int[8];
        private int depth = -1;
        private Object key;
        private Object value;

        EntryCursor(Node root) {
            if (root != null) {
                push(root);
            }
            advance();
        }

        private void push(Node n) {
            depth++;
            if (depth == nodes.length) {
                nodes = Arrays.copyOf(nodes, depth * 2);
                positions = Arrays.copyOf(positions, depth * 2);
            }
            nodes[depth] = n;
            positions[depth] = 0;
        }

        private void advance() {
            key = null;
            while (depth >= 0) {
                Node n = nodes[depth];
                Object[] a = n instanceof BitmapNode b ? b.array : ((CollisionNode) n).kvs;
                int i = positions[depth];
                if (i >= a.length) {
                    nodes[depth--] = null;
                    continue;
                }
                positions[depth] = i + 2;
                if (a[i] == null) {
                    push((Node) a[i + 1]);
                } else {
                    key = a[i];
                    value = a[i + 1];
                    return;
                }
            }
        }

        public boolean hasNext() {
            return key != null;
        }

        /** The next entry as {@code {key, value}}. */
        public Object[] next() {
            if (key == null) {
                throw new java.util.NoSuchElementException();
            }
            Object[] e = {key, value};
            advance();
            return e;
        }
    }

    private abstract static class Node {
        abstract Object find(int shift, int hash, Object key);

        abstract Node put(int shift, int hash, Object key, Object value, boolean[] added);

        /** As put, changing in place the nodes of {@code edit} (and the copies it makes); sets edit.added. */
        abstract Node putInPlace(int shift, int hash, Object key, Object value, Edit edit);

        /** Returns this when the key is absent, null when the node becomes empty. */
        abstract Node remove(int shift, int hash, Object key);

        abstract void forEach(BiConsumer<Object, Object> f);
    }

    /**
     * Up to 32 slots selected by 5 hash bits; each slot holds a key and value, or null and a child node. The
     * bitmap and array change only while the node's edit is being used ({@link #putInPlace}); a node of no
     * edit never changes.
     */
    private static final class BitmapNode extends Node {
        static final BitmapNode EMPTY = new BitmapNode(0, new Object[0]);
        int bitmap;
        Object[] array;
        final Edit edit;

        BitmapNode(int bitmap, Object[] array) {
            this(bitmap, array, null);
        }

        BitmapNode(int bitmap, Object[] array, Edit edit) {
            this.bitmap = bitmap;
            this.array = array;
            this.edit = edit;
        }

        /** This node if {@code edit} may change it, else a copy that it may. */
        private BitmapNode editable(Edit e) {
            return edit == e ? this : new BitmapNode(bitmap, Arrays.copyOf(array, array.length), e);
        }

        @Override
        Node putInPlace(int shift, int hash, Object key, Object value, Edit e) {
            int bit = 1 << ((hash >>> shift) & 31);
            int idx = index(bit);
            if ((bitmap & bit) != 0) {
                Object k = array[2 * idx];
                Object v = array[2 * idx + 1];
                if (k == null) {
                    Node n = ((Node) v).putInPlace(shift + 5, hash, key, value, e);
                    if (n == v) {
                        return this;
                    }
                    BitmapNode m = editable(e);
                    m.array[2 * idx + 1] = n;
                    return m;
                }
                if (Compare.equal(key, k)) {
                    if (v == value) {
                        return this;
                    }
                    BitmapNode m = editable(e);
                    m.array[2 * idx + 1] = value;
                    return m;
                }
                e.added = true;
                Node child = pair(shift + 5, k, v, hash, key, value);
                BitmapNode m = editable(e);
                m.array[2 * idx] = null;
                m.array[2 * idx + 1] = child;
                return m;
            }
            e.added = true;
            Object[] a = withPair(idx, key, value);
            if (edit == e) {
                array = a;
                bitmap |= bit;
                return this;
            }
            return new BitmapNode(bitmap | bit, a, e);
        }

        private int index(int bit) {
            return Integer.bitCount(bitmap & (bit - 1));
        }

        @Override
        Object find(int shift, int hash, Object key) {
            int bit = 1 << ((hash >>> shift) & 31);
            if ((bitmap & bit) == 0) {
                return null;
            }
            int i = 2 * index(bit);
            Object k = array[i];
            Object v = array[i + 1];
            if (k == null) {
                return ((Node) v).find(shift + 5, hash, key);
            }
            return Compare.equal(key, k) ? v : null;
        }

        @Override
        Node put(int shift, int hash, Object key, Object value, boolean[] added) {
            int bit = 1 << ((hash >>> shift) & 31);
            int idx = index(bit);
            if ((bitmap & bit) != 0) {
                Object k = array[2 * idx];
                Object v = array[2 * idx + 1];
                if (k == null) {
                    Node n = ((Node) v).put(shift + 5, hash, key, value, added);
                    return n == v ? this : with(2 * idx + 1, n);
                }
                if (Compare.equal(key, k)) {
                    return v == value ? this : with(2 * idx + 1, value);
                }
                added[0] = true;
                Node child = pair(shift + 5, k, v, hash, key, value);
                Object[] a = Arrays.copyOf(array, array.length);
                a[2 * idx] = null;
                a[2 * idx + 1] = child;
                return new BitmapNode(bitmap, a);
            }
            added[0] = true;
            return new BitmapNode(bitmap | bit, withPair(idx, key, value));
        }

        /** The slots with the key and value inserted as pair {@code idx}, the later pairs moved up one. */
        private Object[] withPair(int idx, Object key, Object value) {
            int n = Integer.bitCount(bitmap);
            Object[] a = new Object[2 * (n + 1)];
            System.arraycopy(array, 0, a, 0, 2 * idx);
            a[2 * idx] = key;
            a[2 * idx + 1] = value;
            System.arraycopy(array, 2 * idx, a, 2 * (idx + 1), 2 * (n - idx));
            return a;
        }

        private BitmapNode with(int i, Object v) {
            Object[] a = Arrays.copyOf(array, array.length);
            a[i] = v;
            return new BitmapNode(bitmap, a);
        }

        private static Node pair(int shift, Object k1, Object v1, int h2, Object k2, Object v2) {
            int h1 = Compare.hash(k1);
            if (h1 == h2 || shift >= 32) {
                return CollisionNode.of(h1, k1, v1, k2, v2);
            }
            boolean[] ignored = new boolean[1];
            return EMPTY.put(shift, h1, k1, v1, ignored).put(shift, h2, k2, v2, ignored);
        }

        @Override
        Node remove(int shift, int hash, Object key) {
            int bit = 1 << ((hash >>> shift) & 31);
            if ((bitmap & bit) == 0) {
                return this;
            }
            int idx = index(bit);
            Object k = array[2 * idx];
            Object v = array[2 * idx + 1];
            if (k == null) {
                Node n = ((Node) v).remove(shift + 5, hash, key);
                if (n == v) {
                    return this;
                }
                if (n != null) {
                    return with(2 * idx + 1, n);
                }
            } else if (!Compare.equal(key, k)) {
                return this;
            }
            if (bitmap == bit) {
                return null;
            }
            Object[] a = new Object[array.length - 2];
            System.arraycopy(array, 0, a, 0, 2 * idx);
            System.arraycopy(array, 2 * (idx + 1), a, 2 * idx, array.length - 2 * (idx + 1));
            return new BitmapNode(bitmap ^ bit, a);
        }

        @Override
        void forEach(BiConsumer<Object, Object> f) {
            for (int i = 0; i < array.length; i += 2) {
                if (array[i] == null) {
                    ((Node) array[i + 1]).forEach(f);
                } else {
                    f.accept(array[i], array[i + 1]);
                }
            }
        }
    }

    /** Keys whose 32-bit hashes are all equal: a flat list, searched linearly (the O(n) worst case). */
    /**
     * Keys of one 32-bit hash. They are kept in order (ints, then strings by their bytes, then bools), so that
     * a key is found by binary search: the hashes are not random, and keys made to collide ("Aa" and "BB" in
     * every combination, ints whose two halves are equal) were compared with every other key of the node, so
     * n of them made a map in O(n^2) (2^14 such strings: 5.8 s, against 1.2 s for as many other keys). A key
     * of another kind (none in a checked program) leaves the node unordered, searched from end to end.
     */
    private static final class CollisionNode extends Node {
        final int hash;
        final Object[] kvs;
        final boolean ordered;

        CollisionNode(int hash, Object[] kvs, boolean ordered) {
            this.hash = hash;
            this.kvs = kvs;
            this.ordered = ordered;
        }

        static CollisionNode of(int hash, Object k1, Object v1, Object k2, Object v2) {
            if (rank(k1) < 0 || rank(k2) < 0) {
                return new CollisionNode(hash, new Object[] {k1, v1, k2, v2}, false);
            }
            return order(k1, k2) < 0 ? new CollisionNode(hash, new Object[] {k1, v1, k2, v2}, true)
                            : new CollisionNode(hash, new Object[] {k2, v2, k1, v1}, true);
        }

        private static int rank(Object key) {
            if (key instanceof Long) {
                return 0;
            } else if (key instanceof com.oracle.truffle.api.strings.TruffleString) {
                return 1;
            } else if (key instanceof Boolean) {
                return 2;
            }
            return -1;
        }

        private static int order(Object a, Object b) {
            int ra = rank(a);
            int rb = rank(b);
            return ra != rb ? Integer.compare(ra, rb) : Compare.compareKeys(a, b);
        }

        /** The index of key's slot, or -(the index where it would go) - 1; in an unordered node, its end. */
        private int indexOf(Object key) {
            if (ordered && rank(key) >= 0) {
                int lo = 0;
                int hi = kvs.length / 2 - 1;
                while (lo <= hi) {
                    int mid = (lo + hi) >>> 1;
                    int c = order(kvs[2 * mid], key);
                    if (c < 0) {
                        lo = mid + 1;
                    } else if (c > 0) {
                        hi = mid - 1;
                    } else {
                        return 2 * mid;
                    }
                }
                return -2 * lo - 1;
            }
            for (int i = 0; i < kvs.length; i += 2) {
                if (Compare.equal(key, kvs[i])) {
                    return i;
                }
            }
            return -kvs.length - 1;
        }

        @Override
        Object find(int shift, int h, Object key) {
            int i = indexOf(key);
            return i < 0 ? null : kvs[i + 1];
        }

        @Override
        Node put(int shift, int h, Object key, Object value, boolean[] added) {
            if (h != hash) {
                boolean[] ignored = new boolean[1];
                Node n = BitmapNode.EMPTY;
                for (int i = 0; i < kvs.length; i += 2) {
                    n = n.put(shift, hash, kvs[i], kvs[i + 1], ignored);
                }
                return n.put(shift, h, key, value, added);
            }
            int i = indexOf(key);
            if (i >= 0) {
                Object[] a = Arrays.copyOf(kvs, kvs.length);
                a[i + 1] = value;
                return new CollisionNode(hash, a, ordered);
            }
            added[0] = true;
            boolean stillOrdered = ordered && rank(key) >= 0;
            int at = stillOrdered ? -i - 1 : kvs.length;
            Object[] a = new Object[kvs.length + 2];
            System.arraycopy(kvs, 0, a, 0, at);
            System.arraycopy(kvs, at, a, at + 2, kvs.length - at);
            a[at] = key;
            a[at + 1] = value;
            return new CollisionNode(hash, a, stillOrdered);
        }

        @Override
        Node putInPlace(int shift, int h, Object key, Object value, Edit edit) {
            boolean[] added = new boolean[1]; // keys of one 32-bit hash: rare enough to copy
            Node n = put(shift, h, key, value, added);
            edit.added = added[0];
            return n;
        }

        @Override
        Node remove(int shift, int h, Object key) {
            int i = indexOf(key);
            if (i < 0) {
                return this;
            }
            if (kvs.length == 2) {
                return null;
            }
            Object[] a = new Object[kvs.length - 2];
            System.arraycopy(kvs, 0, a, 0, i);
            System.arraycopy(kvs, i + 2, a, i, kvs.length - i - 2);
            return new CollisionNode(hash, a, ordered);
        }

        @Override
        void forEach(BiConsumer<Object, Object> f) {
            for (int i = 0; i < kvs.length; i += 2) {
                f.accept(kvs[i], kvs[i + 1]);
            }
        }
    }
}
