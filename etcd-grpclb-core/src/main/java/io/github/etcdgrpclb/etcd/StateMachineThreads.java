package io.github.etcdgrpclb.etcd;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;

import io.grpc.SynchronizationContext;
import org.slf4j.Logger;

/**
 * Where an etcd state machine (registrar, election) keeps its state and waits: a SynchronizationContext
 * for its state, as grpc-java's resolvers do, and one daemon timer thread of its own for retries.
 */
public final class StateMachineThreads {

	private StateMachineThreads() {
	}

	/**
	 * @param logger the state machine's logger
	 * @param name what the state machine is, for the log
	 * @return a context that logs a task's failure (it never reaches a caller) and goes on
	 */
	public static SynchronizationContext syncContext(Logger logger, String name) {
		return new SynchronizationContext(
				(thread, error) -> logger.error("Unexpected error in {}; it carries on", name, error));
	}

	/**
	 * @param threadName the timer thread's name
	 * @return a timer whose delayed tasks are dropped when it shuts down (a retry after close does nothing)
	 */
	public static ScheduledExecutorService timer(String threadName) {
		ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, (runnable) -> {
			Thread thread = new Thread(runnable, threadName);
			thread.setDaemon(true);
			return thread;
		});
		timer.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
		timer.setContinueExistingPeriodicTasksAfterShutdownPolicy(false);
		timer.setRemoveOnCancelPolicy(true);
		return timer;
	}

}
