package io.github.etcdgrpclb.lock;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * One fair permit per lock name inside this process. All locks of a template live on one session
 * lease, so two threads of the process would put the same key {@code <name>/<lease-hex>}; the gate
 * lets one thread at a time of the process queue in etcd. A gate is released by whichever thread
 * finishes removing the key (a permit, not an owned lock), and forgotten when nobody uses it, so
 * per-entity names ({@code order:<id>}) do not accumulate.
 */
final class LocalGates {

	private final Map<String, Gate> gates = new HashMap<>();

	/**
	 * Waits for the name's permit, in arrival order.
	 * @return whether it was obtained within the timeout
	 */
	boolean enter(String name, long timeoutNanos) throws InterruptedException {
		Gate gate;
		synchronized (this) {
			gate = this.gates.computeIfAbsent(name, (key) -> new Gate());
			gate.users++;
		}
		boolean entered = false;
		try {
			entered = gate.permit.tryAcquire(Math.max(0, timeoutNanos), TimeUnit.NANOSECONDS);
			return entered;
		}
		finally {
			if (!entered) {
				forget(name, gate);
			}
		}
	}

	/** Hands the name's permit to the next waiter of this process. */
	void leave(String name) {
		Gate gate;
		synchronized (this) {
			gate = this.gates.get(name);
		}
		gate.permit.release();
		forget(name, gate);
	}

	synchronized int size() {
		return this.gates.size();
	}

	private synchronized void forget(String name, Gate gate) {
		if (--gate.users == 0) {
			this.gates.remove(name);
		}
	}

	private static final class Gate {

		final Semaphore permit = new Semaphore(1, true);

		int users;

	}

}
