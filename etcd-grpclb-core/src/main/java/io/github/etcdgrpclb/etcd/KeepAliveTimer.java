package io.github.etcdgrpclb.etcd;

import java.util.concurrent.ScheduledExecutorService;

/**
 * The one timer thread of this JVM's lease keep-alives, there while some lease is kept alive and gone
 * when none is (no thread outlives the last registration, lock or election). A keep-alive round is a
 * few microseconds of work, so one thread serves every lease.
 */
final class KeepAliveTimer {

	private static ScheduledExecutorService timer;

	private static int users;

	private KeepAliveTimer() {
	}

	/** @return the timer; {@link #release()} once no longer needed */
	static synchronized ScheduledExecutorService acquire() {
		if (timer == null) {
			timer = StateMachineThreads.timer("etcd-lease-keepalive");
		}
		users++;
		return timer;
	}

	static synchronized void release() {
		if (--users == 0) {
			timer.shutdownNow();
			timer = null;
		}
	}

}
