package io.github.etcdgrpclb.benchmarks;

import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Lets a measuring thread sleep until the observed code says something changed. A spinning
 * wait would take one of the machine's two cores from the code under measurement, while the
 * side it is compared with (a blocking jetcd {@code get()}) leaves both cores to etcd and the
 * client: the comparison would not be fair.
 */
final class Signal {

	private final Object monitor = new Object();

	/** Called by the observed code after each change. */
	void signal() {
		synchronized (this.monitor) {
			this.monitor.notifyAll();
		}
	}

	/** Waits (blocked, not spinning) until the condition holds; fails after 30 s. */
	void await(BooleanSupplier condition) throws InterruptedException {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
		synchronized (this.monitor) {
			while (!condition.getAsBoolean()) {
				long left = deadline - System.nanoTime();
				if (left <= 0) {
					throw new IllegalStateException("Condition not met within 30 s");
				}
				TimeUnit.NANOSECONDS.timedWait(this.monitor, left);
			}
		}
	}

}
