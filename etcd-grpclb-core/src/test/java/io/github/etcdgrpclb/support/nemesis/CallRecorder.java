package io.github.etcdgrpclb.support.nemesis;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import io.github.etcdgrpclb.support.EchoService;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCalls;

/**
 * Calls through a channel from a few threads until closed and records every call: when it began and
 * ended (wall millis), who answered, how it ended. Calls have a 3 s deadline.
 */
public final class CallRecorder implements AutoCloseable {

	/** Every call's deadline. */
	public static final long DEADLINE_MILLIS = 3000;

	/**
	 * One call.
	 * @param start when it began
	 * @param end when it ended
	 * @param server who answered, null when it failed
	 * @param code how it ended
	 * @param description the failure's description, null when it succeeded
	 */
	public record Call(long start, long end, String server, Status.Code code, String description) {
	}

	private final ConcurrentLinkedQueue<Call> calls = new ConcurrentLinkedQueue<>();

	private final AtomicBoolean running = new AtomicBoolean(true);

	private final ExecutorService callers;

	private final List<Future<?>> loops = new ArrayList<>();

	private final int threads;

	public CallRecorder(Channel channel, int threads) {
		this.threads = threads;
		this.callers = Executors.newFixedThreadPool(threads);
		for (int i = 0; i < threads; i++) {
			this.loops.add(this.callers.submit(() -> {
				while (this.running.get()) {
					long start = System.currentTimeMillis();
					try {
						String answer = ClientCalls.blockingUnaryCall(channel, EchoService.ECHO,
								CallOptions.DEFAULT.withDeadlineAfter(DEADLINE_MILLIS, TimeUnit.MILLISECONDS), "x");
						this.calls.add(new Call(start, System.currentTimeMillis(), answer.split(":")[0], Status.Code.OK, null));
					}
					catch (StatusRuntimeException ex) {
						this.calls.add(new Call(start, System.currentTimeMillis(), null, ex.getStatus().getCode(),
								ex.getStatus().getDescription()));
					}
				}
			}));
		}
	}

	/** @return how many threads call: at most that many calls are in flight */
	public int threads() {
		return this.threads;
	}

	/** @return every call so far */
	public List<Call> calls() {
		return List.copyOf(this.calls);
	}

	@Override
	public void close() throws Exception {
		this.running.set(false);
		for (Future<?> loop : this.loops) {
			loop.get(10, TimeUnit.SECONDS);
		}
		this.callers.shutdown();
	}

}
