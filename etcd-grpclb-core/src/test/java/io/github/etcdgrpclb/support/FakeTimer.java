package io.github.etcdgrpclb.support;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.Delayed;
import java.util.concurrent.FutureTask;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import io.grpc.Deadline;

/**
 * A scheduled executor on a clock that moves only when a test says so, in the spirit of grpc-java's
 * {@code FakeClock}: scheduled tasks run on the test's thread, in due order, during
 * {@link #forward(Duration)}. Only what the state machines use ({@code schedule}) is supported.
 */
public final class FakeTimer extends AbstractExecutorService implements ScheduledExecutorService {

	private final List<Task<?>> tasks = new ArrayList<>();

	private long nanos;

	private boolean shutdown;

	/** Moves the clock on, running every task that falls due on the way, in order. */
	public void forward(Duration duration) {
		long until = this.nanos + duration.toNanos();
		while (true) {
			Task<?> next = this.tasks.stream()
				.filter((task) -> task.due <= until && !task.isCancelled())
				.min(Comparator.comparingLong((Task<?> task) -> task.due))
				.orElse(null);
			if (next == null) {
				break;
			}
			this.tasks.remove(next);
			this.nanos = Math.max(this.nanos, next.due);
			next.run();
		}
		this.nanos = until;
		this.tasks.removeIf(Task::isCancelled);
	}

	/** @return a ticker that reads this clock, for code that measures time (lease validity) */
	public Deadline.Ticker ticker() {
		return new Deadline.Ticker() {

			@Override
			public long nanoTime() {
				return FakeTimer.this.nanos;
			}

		};
	}

	/** @return the tasks waiting, cancelled ones left out */
	public int pendingTasks() {
		return (int) this.tasks.stream().filter((task) -> !task.isCancelled()).count();
	}

	@Override
	public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
		checkRunning();
		Task<Void> task = new Task<>(() -> {
			command.run();
			return null;
		}, this.nanos + unit.toNanos(delay));
		this.tasks.add(task);
		return task;
	}

	@Override
	public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
		checkRunning();
		Task<V> task = new Task<>(callable, this.nanos + unit.toNanos(delay));
		this.tasks.add(task);
		return task;
	}

	@Override
	public ScheduledFuture<?> scheduleAtFixedRate(Runnable command, long initialDelay, long period, TimeUnit unit) {
		throw new UnsupportedOperationException();
	}

	@Override
	public ScheduledFuture<?> scheduleWithFixedDelay(Runnable command, long initialDelay, long delay, TimeUnit unit) {
		throw new UnsupportedOperationException();
	}

	@Override
	public void execute(Runnable command) {
		schedule(command, 0, TimeUnit.NANOSECONDS);
	}

	/**
	 * As the state machines' timers do: tasks already due still run, delayed ones are dropped, and
	 * nothing new is taken.
	 */
	@Override
	public void shutdown() {
		this.shutdown = true;
		this.tasks.removeIf((task) -> task.due > this.nanos);
	}

	@Override
	public List<Runnable> shutdownNow() {
		shutdown();
		return List.of();
	}

	@Override
	public boolean isShutdown() {
		return this.shutdown;
	}

	@Override
	public boolean isTerminated() {
		return this.shutdown && this.tasks.isEmpty();
	}

	@Override
	public boolean awaitTermination(long timeout, TimeUnit unit) {
		return true;
	}

	private void checkRunning() {
		if (this.shutdown) {
			throw new RejectedExecutionException("timer shut down");
		}
	}

	private final class Task<V> extends FutureTask<V> implements ScheduledFuture<V> {

		private final long due;

		Task(Callable<V> callable, long due) {
			super(callable);
			this.due = due;
		}

		@Override
		public long getDelay(TimeUnit unit) {
			return unit.convert(this.due - FakeTimer.this.nanos, TimeUnit.NANOSECONDS);
		}

		@Override
		public int compareTo(Delayed other) {
			return Long.compare(getDelay(TimeUnit.NANOSECONDS), other.getDelay(TimeUnit.NANOSECONDS));
		}

	}

}
