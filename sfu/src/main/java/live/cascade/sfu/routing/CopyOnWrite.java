package live.cascade.sfu.routing;

import java.util.Arrays;

/** Array copy-on-write helpers: the packet path iterates a plain array that changes only by replacement. */
final class CopyOnWrite {
    private CopyOnWrite() {}

    static <T> T[] append(T[] array, T element) {
        T[] copy = Arrays.copyOf(array, array.length + 1);
        copy[array.length] = element;
        return copy;
    }

    /** Removes the first element identical to {@code element}; returns {@code array} itself when absent. */
    static <T> T[] remove(T[] array, T element) {
        for (int i = 0; i < array.length; i++) {
            if (array[i] == element) {
                T[] copy = Arrays.copyOf(array, array.length - 1);
                System.arraycopy(array, i + 1, copy, i, array.length - i - 1);
                return copy;
            }
        }
        return array;
    }
}
