package org.osprey.example.random;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import org.osprey.spi.BuiltinContext;
import org.osprey.spi.BuiltinProvider;
import org.osprey.spi.BuiltinRegistry;
import org.osprey.spi.Values;

/**
 * Random numbers, as a builtins module of Osprey's plugin point (docs/plugins.md walks through it). Each
 * context has its own generator; the setting {@code osprey.Plugin.random.Seed} makes its numbers the same at
 * every run.
 */
public final class RandomBuiltins implements BuiltinProvider {
    /** The setting's key as the module's functions read it. */
    private static final String SEED = "random.Seed";

    @Override
    public void register(BuiltinRegistry registry) {
        registry.setting("random", "Seed", value -> parseSeed(value) == null ? "a whole number" : null);
        registry.function("randomInt(low: int, high: int) -> Result<int, string>", "random",
                        "a whole number from low to high, both included", RandomBuiltins::randomInt);
        registry.function("randomFloat() -> float", "random", "a number from 0.0 up to, not including, 1.0",
                        (context, args) -> generator(context).nextDouble());
        registry.function("randomChoice(items: List<T>) -> Result<T, string>", "random", "one of the items, or an Error for an empty list",
                        RandomBuiltins::randomChoice);
        registry.function("shuffle(items: List<T>) -> List<T>", "random", "the items in a random order",
                        RandomBuiltins::shuffle);
    }

    private static Object randomInt(BuiltinContext context, Object[] args) {
        long low = (Long) args[0];
        long high = (Long) args[1];
        if (low > high) {
            return Values.error("randomInt: low (" + low + ") is greater than high (" + high + ")");
        }
        Random random = generator(context);
        long n;
        if (high < Long.MAX_VALUE) {
            n = random.nextLong(low, high + 1);
        } else if (low > Long.MIN_VALUE) {
            n = random.nextLong(low - 1, high) + 1;
        } else {
            n = random.nextLong();
        }
        return Values.success(n);
    }

    private static Object randomChoice(BuiltinContext context, Object[] args) {
        List<Object> items = Values.elements(args[0]);
        if (items.isEmpty()) {
            return Values.error("randomChoice: the list is empty");
        }
        return Values.success(items.get(generator(context).nextInt(items.size())));
    }

    private static Object shuffle(BuiltinContext context, Object[] args) {
        List<Object> items = new ArrayList<>(Values.elements(args[0]));
        Collections.shuffle(items, generator(context));
        return Values.list(items);
    }

    /** The context's generator, made at its first use: from the seed setting when there is one. */
    private static Random generator(BuiltinContext context) {
        return context.state(Random.class, () -> {
            Long seed = parseSeed(context.option(SEED));
            return seed == null ? new Random() : new Random(seed);
        });
    }

    private static Long parseSeed(String value) {
        if (value == null) {
            return null;
        }
        try {
            return Long.parseLong(value.strip());
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
