package io.github.etcdgrpclb.support;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

import io.grpc.Channel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;

/**
 * Steady call load on a channel from a few threads until closed: counts answers per server and
 * failed calls, for tests that change the servers under traffic.
 */
public final class CallLoad implements AutoCloseable {

	private final Map<String, Long> answered = new ConcurrentHashMap<>();

	private final LongAdder succeeded = new LongAdder();

	private final LongAdder failed = new LongAdder();

	private final Map<Status.Code, LongAdder> failures = new ConcurrentHashMap<>();

	private final AtomicBoolean running = new AtomicBoolean(true);

	private final ExecutorService callers;

	private final List<Future<?>> loops = new ArrayList<>();

	public CallLoad(Channel channel, int threads) {
		this.callers = Executors.newFixedThreadPool(threads);
		for (int i = 0; i < threads; i++) {
			this.loops.add(this.callers.submit(() -> {
				while (this.running.get()) {
					try {
						this.answered.merge(EchoCalls.call(channel, "x").split(":")[0], 1L, Long::sum);
						this.succeeded.increment();
					}
					catch (StatusRuntimeException ex) {
						this.failed.increment();
						this.failures.computeIfAbsent(ex.getStatus().getCode(), (code) -> new LongAdder()).increment();
					}
				}
			}));
		}
	}

	/** @return calls answered by the named server so far */
	public long answeredBy(String server) {
		return this.answered.getOrDefault(server, 0L);
	}

	/** @return server name -> calls it answered so far, a copy */
	public Map<String, Long> answered() {
		return new TreeMap<>(this.answered);
	}

	/** @return calls that succeeded so far */
	public long succeeded() {
		return this.succeeded.sum();
	}

	/** @return calls that failed so far */
	public long failed() {
		return this.failed.sum();
	}

	/** @return failed calls by status code, so far */
	public Map<Status.Code, Long> failuresByCode() {
		Map<Status.Code, Long> counts = new TreeMap<>();
		this.failures.forEach((code, count) -> counts.put(code, count.sum()));
		return counts;
	}

	/** Stops the callers and waits for the calls in flight. */
	@Override
	public void close() throws Exception {
		this.running.set(false);
		for (Future<?> loop : this.loops) {
			loop.get(10, TimeUnit.SECONDS);
		}
		this.callers.shutdown();
	}

}
