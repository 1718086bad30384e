package org.osprey.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * A response body read into memory, but no more than the module's limit: past it the read stops and the
 * request fails with {@link TooLarge}, so a server sending without end cannot fill the program's memory.
 */
final class LimitedBody implements HttpResponse.BodySubscriber<byte[]> {
    /** The body went past the limit. */
    static final class TooLarge extends IOException {
        private static final long serialVersionUID = 1L;

        TooLarge(long max) {
            super("the answer's body is larger than " + max + " bytes (the limit, osprey.Plugin.http.MaxBodySize)");
        }
    }

    private final long max;
    private final CompletableFuture<byte[]> result = new CompletableFuture<>();
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private Flow.Subscription subscription;

    LimitedBody(long max) {
        this.max = max;
    }

    /** The handler for a request: a Content-Length over the limit fails before the body is read. */
    static HttpResponse.BodyHandler<byte[]> handler(long max) {
        return info -> {
            LimitedBody body = new LimitedBody(max);
            if (info.headers().firstValueAsLong("Content-Length").orElse(0) > max) {
                body.result.completeExceptionally(new TooLarge(max));
            }
            return body;
        };
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
        subscription = s;
        if (result.isDone()) {
            s.cancel();
        } else {
            s.request(Long.MAX_VALUE);
        }
    }

    @Override
    public void onNext(List<ByteBuffer> items) {
        if (result.isDone()) {
            return;
        }
        for (ByteBuffer b : items) {
            if (bytes.size() + (long) b.remaining() > max) {
                result.completeExceptionally(new TooLarge(max));
                subscription.cancel();
                return;
            }
            byte[] chunk = new byte[b.remaining()];
            b.get(chunk);
            bytes.writeBytes(chunk);
        }
    }

    @Override
    public void onError(Throwable t) {
        result.completeExceptionally(t);
    }

    @Override
    public void onComplete() {
        result.complete(bytes.toByteArray());
    }

    @Override
    public CompletionStage<byte[]> getBody() {
        return result;
    }
}
