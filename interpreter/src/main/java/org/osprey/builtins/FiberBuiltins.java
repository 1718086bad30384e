package org.osprey.builtins;

import org.osprey.OspreyContext;
import org.osprey.runtime.ChannelValue;
import org.osprey.runtime.FiberValue;
import org.osprey.runtime.Unit;
import org.osprey.spi.BuiltinRegistry;

/** await, yield, send and recv (spec 0011); spawn and the constructions are nodes (FiberNodes). */
final class FiberBuiltins {
    private FiberBuiltins() {
    }

    static void register(BuiltinRegistry r) {
        r.function("await(fiber: Fiber<T>) -> T", "core",
                        "Waits for a fiber to end and returns its value; other fibers run meanwhile. If the fiber failed, this fails the same way.",
                        (ctx, a) -> ((OspreyContext) ctx).fibers().await((FiberValue) a[0]));
        r.function("yield() -> unit", "core", "Lets every other fiber that is ready run first, then goes on.", (ctx, a) -> {
            OspreyContext c = (OspreyContext) ctx;
            if (c.fibers != null) {
                c.fibers.yieldTurn();
            }
            return Unit.INSTANCE;
        });
        r.function("send(channel: Channel<T>, value: T) -> Result<unit, string>", "core",
                        "Sends a value to a channel; waits while the channel is full (with capacity 0, until a fiber receives it).",
                        (ctx, a) -> ((OspreyContext) ctx).fibers().send((ChannelValue) a[0], a[1]));
        r.function("recv(channel: Channel<T>) -> Result<T, string>", "core",
                        "Receives the next value from a channel, waiting until there is one.",
                        (ctx, a) -> ((OspreyContext) ctx).fibers().recv((ChannelValue) a[0]));
    }
}
