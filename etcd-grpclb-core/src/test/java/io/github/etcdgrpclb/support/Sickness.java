package io.github.etcdgrpclb.support;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;

/**
 * Makes a server sick on demand, as a server interceptor: it answers late (busy before it starts on a
 * call), or fails every n-th call with UNAVAILABLE at once (deterministic: "half of its calls" is
 * every second one). Healthy until told otherwise.
 */
public final class Sickness implements ServerInterceptor {

	private final AtomicLong calls = new AtomicLong();

	private volatile long delayMillis;

	private volatile int failEvery;

	/** Answers every call {@code delay} late. */
	public void slow(Duration delay) {
		this.delayMillis = delay.toMillis();
	}

	/** Fails every n-th call with UNAVAILABLE; 2 fails half. */
	public void failEvery(int n) {
		this.failEvery = n;
	}

	/** Healthy again. */
	public void heal() {
		this.delayMillis = 0;
		this.failEvery = 0;
	}

	@Override
	public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
			ServerCallHandler<Q, R> next) {
		int every = this.failEvery;
		if (every > 0 && this.calls.incrementAndGet() % every == 0) {
			call.close(Status.UNAVAILABLE.withDescription("sick"), new Metadata());
			return new ServerCall.Listener<>() {
			};
		}
		long delay = this.delayMillis;
		if (delay > 0) {
			try {
				Thread.sleep(delay); // a busy server: the call waits before the service sees it
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
		return next.startCall(call, headers);
	}

}
