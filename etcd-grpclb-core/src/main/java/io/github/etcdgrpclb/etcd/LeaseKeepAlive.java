package io.github.etcdgrpclb.etcd;

import java.util.concurrent.atomic.AtomicBoolean;

import io.etcd.jetcd.Client;
import io.etcd.jetcd.lease.LeaseKeepAliveResponse;
import io.etcd.jetcd.support.CloseableClient;
import io.grpc.stub.StreamObserver;

/**
 * Keeps one granted lease alive with jetcd's streaming keep-alive and says once when it is lost.
 * <p>
 * jetcd ends the stream three ways: a response with TTL 0 (expired), an error "lease not found"
 * (revoked, or expired while etcd was away) — both final — and {@code onCompleted} when no keep-alive
 * succeeded within the TTL. Any other error is network trouble that jetcd retries by itself, so the
 * lease may still be alive and nothing is reported.
 */
public final class LeaseKeepAlive implements EtcdSource.KeepAlive {

	/** Told of a lease's keep-alives; callbacks come on jetcd's threads. */
	public interface Listener {

		/** A keep-alive succeeded: the lease lives for another TTL. */
		default void alive() {
		}

		/**
		 * The lease is gone for good; called once, never after {@link LeaseKeepAlive#close()}.
		 * @param reason why, for logs and status
		 */
		void lost(String reason);

	}

	private final long leaseId;

	private final Listener listener;

	private final AtomicBoolean active = new AtomicBoolean(true);

	private volatile CloseableClient stream;

	private LeaseKeepAlive(long leaseId, Listener listener) {
		this.leaseId = leaseId;
		this.listener = listener;
	}

	/**
	 * Starts keeping an already granted lease alive.
	 * @param client the etcd client
	 * @param leaseId the lease
	 * @param listener told of keep-alives and of the loss
	 * @return the running keep-alive; close it to stop (the caller revokes the lease)
	 */
	public static LeaseKeepAlive start(Client client, long leaseId, Listener listener) {
		LeaseKeepAlive keepAlive = new LeaseKeepAlive(leaseId, listener);
		keepAlive.stream = client.getLeaseClient().keepAlive(leaseId, keepAlive.new Observer());
		if (!keepAlive.active.get()) {
			keepAlive.stream.close(); // lost before the field was set
		}
		return keepAlive;
	}

	/** @return the lease kept alive */
	public long leaseId() {
		return this.leaseId;
	}

	/** @return false once the lease was lost or the keep-alive closed */
	public boolean isActive() {
		return this.active.get();
	}

	/** Stops the keep-alive without telling the listener. */
	@Override
	public void close() {
		this.active.set(false);
		closeStream();
	}

	private void closeStream() {
		CloseableClient current = this.stream;
		if (current != null) {
			current.close();
		}
	}

	private void lost(String reason) {
		if (this.active.compareAndSet(true, false)) {
			closeStream();
			this.listener.lost(reason);
		}
	}

	private final class Observer implements StreamObserver<LeaseKeepAliveResponse> {

		@Override
		public void onNext(LeaseKeepAliveResponse response) {
			if (response.getTTL() <= 0) {
				lost("keep-alive: lease expired");
			}
			else if (LeaseKeepAlive.this.active.get()) {
				LeaseKeepAlive.this.listener.alive();
			}
		}

		@Override
		public void onError(Throwable error) {
			if (EtcdErrors.isLeaseNotFound(error)) {
				lost("keep-alive: lease not found");
			}
		}

		@Override
		public void onCompleted() {
			lost("keep-alive ended: no answer from etcd within the TTL");
		}

	}

}
