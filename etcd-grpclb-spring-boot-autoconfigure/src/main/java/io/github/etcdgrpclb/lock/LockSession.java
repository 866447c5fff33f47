package io.github.etcdgrpclb.lock;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

import io.etcd.jetcd.Client;
import io.etcd.jetcd.lease.LeaseKeepAliveResponse;
import io.etcd.jetcd.support.CloseableClient;
import io.github.etcdgrpclb.etcd.EtcdErrors;
import io.grpc.stub.StreamObserver;

/**
 * One lease kept alive for the locks of a template, like etcd's {@code concurrency.Session}: lock
 * keys live on it, so acquiring costs one transaction and releasing one delete instead of a grant
 * and a revoke each time. A crashed process stops the keep-alive and etcd deletes its keys after
 * the TTL. Once lost (expired or revoked), the session stays lost and a new one is granted.
 */
final class LockSession implements StreamObserver<LeaseKeepAliveResponse> {

	private final long leaseId;

	private final AtomicBoolean valid = new AtomicBoolean(true);

	private final Consumer<String> onLost;

	private volatile CloseableClient keepAlive;

	private LockSession(long leaseId, Consumer<String> onLost) {
		this.leaseId = leaseId;
		this.onLost = onLost;
	}

	/**
	 * Starts keeping an already granted lease alive.
	 * @param onLost told once, with the reason, when the lease is lost
	 */
	static LockSession keepAlive(Client client, long leaseId, Consumer<String> onLost) {
		LockSession session = new LockSession(leaseId, onLost);
		session.keepAlive = client.getLeaseClient().keepAlive(leaseId, session);
		if (!session.isValid()) {
			session.keepAlive.close(); // lost before the field was set
		}
		return session;
	}

	long leaseId() {
		return this.leaseId;
	}

	boolean isValid() {
		return this.valid.get();
	}

	/** Stops the keep-alive; the caller revokes the lease. */
	void stop() {
		this.valid.set(false);
		closeKeepAlive();
	}

	private void closeKeepAlive() {
		CloseableClient current = this.keepAlive;
		if (current != null) {
			current.close();
		}
	}

	@Override
	public void onNext(LeaseKeepAliveResponse response) {
		if (response.getTTL() <= 0) {
			lost("lease expired");
		}
	}

	@Override
	public void onError(Throwable error) {
		// Other errors are network trouble that jetcd retries; the lease may still be alive.
		if (EtcdErrors.isLeaseNotFound(error)) {
			lost("lease not found");
		}
	}

	@Override
	public void onCompleted() {
		lost("keep-alive ended");
	}

	private void lost(String reason) {
		if (this.valid.compareAndSet(true, false)) {
			closeKeepAlive();
			this.onLost.accept(reason);
		}
	}

}
