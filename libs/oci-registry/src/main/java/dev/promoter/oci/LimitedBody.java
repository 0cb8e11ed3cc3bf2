package dev.promoter.oci;

import java.io.IOException;
import java.net.http.HttpResponse.BodySubscriber;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * Collects a response body up to a limit. Over the limit it either fails (content we would act on: a
 * manifest, a blob) or truncates (an error body we only quote); either way it cancels the stream so an
 * oversized body is never read to the end.
 */
final class LimitedBody implements BodySubscriber<byte[]> {

    /** A body bigger than the caller allows. */
    static final class TooLargeException extends IOException {
        private static final long serialVersionUID = 1L;
        final long limit;

        TooLargeException(long limit) {
            super("response body exceeds " + limit + " bytes");
            this.limit = limit;
        }
    }

    private final CompletableFuture<byte[]> result = new CompletableFuture<>();
    private final long limit;
    private final boolean truncate;
    private final long declaredLength;
    private final List<ByteBuffer> buffers = new ArrayList<>();
    private Flow.Subscription subscription;
    private long received;

    LimitedBody(long limit, boolean truncate, long declaredLength) {
        this.limit = limit;
        this.truncate = truncate;
        this.declaredLength = declaredLength;
    }

    @Override
    public CompletionStage<byte[]> getBody() {
        return result;
    }

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
        this.subscription = subscription;
        if (!truncate && declaredLength > limit) {
            subscription.cancel();
            result.completeExceptionally(new TooLargeException(limit));
            return;
        }
        subscription.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(List<ByteBuffer> items) {
        if (result.isDone()) {
            return;
        }
        for (ByteBuffer item : items) {
            int take = (int) Math.min(item.remaining(), limit - received);
            if (take < item.remaining()) {
                subscription.cancel();
                if (truncate) {
                    ByteBuffer head = item.slice();
                    head.limit(take);
                    buffers.add(head);
                    received += take;
                    result.complete(join());
                } else {
                    result.completeExceptionally(new TooLargeException(limit));
                }
                return;
            }
            buffers.add(item);
            received += take;
        }
    }

    @Override
    public void onError(Throwable throwable) {
        result.completeExceptionally(throwable);
    }

    @Override
    public void onComplete() {
        if (!result.isDone()) {
            result.complete(join());
        }
    }

    private byte[] join() {
        byte[] body = new byte[(int) received];
        int offset = 0;
        for (ByteBuffer buffer : buffers) {
            int n = buffer.remaining();
            buffer.get(body, offset, n);
            offset += n;
        }
        buffers.clear();
        return body;
    }
}
