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

    /** An answer whose body has been read whole: what the program's HttpResponse is made of. */
    record Answer(int status, java.net.http.HttpHeaders headers, byte[] body) {
    }

    /**
     * The handler for a request: a Content-Length over the limit fails before the body is read, and so does one
     * that is not one number of bytes, whose reason goes to {@code notHttp} (the JDK's client fails itself on
     * some of those, with Java's words, once this handler has run). {@code whole} gets the answer as soon as
     * its body has been read, on the thread that read it. The future of the JDK's sendAsync completes later, on
     * a thread of the common pool that it hands the completion to: a request whose wait looked at that future
     * woke the program's thread through one more thread, on every request.
     */
    static HttpResponse.BodyHandler<byte[]> handler(long max, java.util.concurrent.atomic.AtomicReference<String> notHttp, CompletableFuture<Answer> whole) {
        return info -> {
            LimitedBody body = new LimitedBody(max);
            body.result.thenAccept(bytes -> whole.complete(new Answer(info.statusCode(), info.headers(), bytes)));
            String bad = info.headers().firstValue("Transfer-Encoding").isPresent() ? null : badLength(info.headers().allValues("Content-Length"));
            if (bad != null) {
                notHttp.set(bad);
                body.result.completeExceptionally(new IOException(bad));
            } else if (info.headers().firstValueAsLong("Content-Length").orElse(0) > max) {
                body.result.completeExceptionally(new TooLarge(max));
            }
            return body;
        };
    }

    /**
     * What is wrong with an answer's Content-Length values, or null. The JDK's client read the first of two that
     * disagree (a body of "ab" where the second said "abcde"), a negative one as "read to the end", and let a
     * list ("2, 5") fail with Java's words ('For input string: "2, 5"'). The same number given twice is allowed
     * (RFC 9110 section 8.6).
     */
    static String badLength(java.util.List<String> values) {
        java.util.Set<String> lengths = new java.util.LinkedHashSet<>();
        for (String v : values) {
            if (!v.strip().matches("[0-9]{1,18}")) {
                return "its Content-Length is not a number of bytes: " + NetWords.shown(v.strip());
            }
            lengths.add(v.strip());
        }
        return lengths.size() > 1 ? "its Content-Length headers disagree: " + String.join(", ", lengths) : null;
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
