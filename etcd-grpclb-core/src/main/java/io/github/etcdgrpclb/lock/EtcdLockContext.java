package io.github.etcdgrpclb.lock;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * The locks the current thread holds through {@link EtcdLockTemplate#execute} (and {@code @EtcdLock}
 * methods): {@code EtcdLockContext.current().isValid()} and {@code .token()} inside the method.
 */
public final class EtcdLockContext {

	private static final ThreadLocal<Deque<LockLease>> held = ThreadLocal.withInitial(ArrayDeque::new);

	private EtcdLockContext() {
	}

	/**
	 * @return the innermost lock the current thread holds
	 * @throws IllegalStateException when it holds none
	 */
	public static LockLease current() {
		LockLease lock = held.get().peek();
		if (lock == null) {
			throw new IllegalStateException("The current thread holds no etcd lock (call inside @EtcdLock or execute)");
		}
		return lock;
	}

	static void push(LockLease lock) {
		held.get().push(lock);
	}

	static void pop() {
		Deque<LockLease> locks = held.get();
		locks.pop();
		if (locks.isEmpty()) {
			held.remove();
		}
	}

}
