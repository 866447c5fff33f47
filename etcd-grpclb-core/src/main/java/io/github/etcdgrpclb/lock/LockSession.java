package io.github.etcdgrpclb.lock;

import java.util.function.Consumer;

import io.etcd.jetcd.Client;
import io.github.etcdgrpclb.etcd.LeaseKeepAlive;

/**
 * One lease kept alive for the locks of a template, like etcd's {@code concurrency.Session}: lock
 * keys live on it, so acquiring costs one transaction and releasing one delete instead of a grant
 * and a revoke each time. A crashed process stops the keep-alive and etcd deletes its keys after
 * the TTL. Once lost (expired or revoked), the session stays lost and a new one is granted.
 */
final class LockSession {

	private final LeaseKeepAlive keepAlive;

	private LockSession(LeaseKeepAlive keepAlive) {
		this.keepAlive = keepAlive;
	}

	/**
	 * Starts keeping an already granted lease alive.
	 * @param onLost told once, with the reason, when the lease is lost
	 */
	static LockSession keepAlive(Client client, long leaseId, Consumer<String> onLost) {
		return new LockSession(LeaseKeepAlive.start(client, leaseId, onLost::accept));
	}

	long leaseId() {
		return this.keepAlive.leaseId();
	}

	boolean isValid() {
		return this.keepAlive.isActive();
	}

	/** Stops the keep-alive; the caller revokes the lease. */
	void stop() {
		this.keepAlive.close();
	}

}
