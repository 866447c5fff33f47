package io.github.etcdgrpclb.lock;

import java.time.Duration;
import java.util.function.Consumer;

import io.etcd.jetcd.Client;
import io.github.etcdgrpclb.etcd.LeaseKeepAlive;
import io.github.etcdgrpclb.etcd.LeaseTtl;

/**
 * One lease kept alive for the locks of a template, like etcd's {@code concurrency.Session}: lock
 * keys live on it, so acquiring costs one transaction and releasing one delete instead of a grant
 * and a revoke each time. A crashed process stops the keep-alive and etcd deletes its keys after
 * the TTL. Once lost (expired or revoked), the session stays lost and a new one is granted.
 * <p>
 * Valid only while the lease is known alive ({@link LeaseTtl#knownAliveNanos}) after the last
 * keep-alive etcd confirmed. jetcd itself gives up only once the TTL has passed, which is when
 * etcd may already have handed the lock to the next waiter; cut off from etcd, a holder sees its
 * lock invalid before that.
 */
final class LockSession {

	private final LeaseKeepAlive keepAlive;

	private final long knownAliveNanos;

	private volatile long lastAliveNanos;

	private LockSession(long grantedNanos, Duration ttl, Client client, long leaseId, Consumer<String> onLost) {
		this.lastAliveNanos = grantedNanos;
		this.knownAliveNanos = LeaseTtl.knownAliveNanos(ttl);
		this.keepAlive = LeaseKeepAlive.start(client, leaseId, new LeaseKeepAlive.Listener() {

			@Override
			public void alive() {
				LockSession.this.lastAliveNanos = System.nanoTime();
			}

			@Override
			public void lost(String reason) {
				onLost.accept(reason);
			}

		});
	}

	/**
	 * Starts keeping an already granted lease alive.
	 * @param grantedNanos {@link System#nanoTime()} when etcd granted the lease (its TTL runs from there)
	 * @param ttl the lease's TTL
	 * @param onLost told once, with the reason, when the lease is lost
	 */
	static LockSession keepAlive(Client client, long leaseId, long grantedNanos, Duration ttl,
			Consumer<String> onLost) {
		return new LockSession(grantedNanos, ttl, client, leaseId, onLost);
	}

	long leaseId() {
		return this.keepAlive.leaseId();
	}

	boolean isValid() {
		return this.keepAlive.isActive() && System.nanoTime() - (this.lastAliveNanos + this.knownAliveNanos) < 0;
	}

	/** Stops the keep-alive; the caller revokes the lease. */
	void stop() {
		this.keepAlive.close();
	}

}
