package io.github.etcdgrpclb.etcd;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import io.etcd.jetcd.Client;
import io.etcd.jetcd.Lease;
import io.etcd.jetcd.lease.LeaseKeepAliveResponse;
import io.etcd.jetcd.options.LeaseOption;

/**
 * Keeps one granted lease alive and says once when it is lost.
 * <p>
 * Each keep-alive is a round of its own: one request on a new stream, every third of the TTL, with a
 * short timeout, and at once again when a round fails. jetcd's streaming keep-alive sends every lease's
 * requests down one stream to one member; when that member stops answering without closing its
 * connection (a stall, a pause, a full disk), the stream neither answers nor fails, and every lease on
 * it expires: the nemesis tests saw all three servers of a fleet vanish from etcd at once while one
 * member was paused. A new stream per round goes to the next member (jetcd balances round robin over
 * its endpoints), so a round that times out on a stalled member is answered by another 100 ms later.
 * <p>
 * Lost means: etcd said the lease does not exist (revoked, or expired), or no round was answered for
 * a whole TTL.
 */
public final class LeaseKeepAlive implements EtcdSource.KeepAlive {

	/** Told of a lease's keep-alives; callbacks come on the keep-alive timer's or jetcd's threads. */
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

	/** A round that fails is tried again after this pause (the next member, or a new auth token). */
	private static final long RETRY_MILLIS = 100;

	/**
	 * A round gets at most this long: under the margin by which locks and terms end before their lease
	 * can ({@link LeaseTtl#knownAliveNanos}), since they count from when the answer arrived.
	 */
	private static final long MAX_ROUND_MILLIS = 500;

	private final Lease leases;

	private final long leaseId;

	private final Listener listener;

	private final AtomicBoolean active = new AtomicBoolean(true);

	private final ScheduledExecutorService timer = KeepAliveTimer.acquire();

	/** Until etcd's first answer tells the TTL, the shortest one allowed is assumed. */
	private volatile long ttlNanos = LeaseTtl.MIN.toNanos();

	private volatile long lastAliveNanos = System.nanoTime();

	private LeaseKeepAlive(Lease leases, long leaseId, Listener listener) {
		this.leases = leases;
		this.leaseId = leaseId;
		this.listener = listener;
	}

	/**
	 * Starts keeping an already granted lease alive; the first round goes at once (it learns the TTL).
	 * @param client the etcd client
	 * @param leaseId the lease
	 * @param listener told of keep-alives and of the loss
	 * @return the running keep-alive; close it to stop (the caller revokes the lease)
	 */
	public static LeaseKeepAlive start(Client client, long leaseId, Listener listener) {
		LeaseKeepAlive keepAlive = new LeaseKeepAlive(client.getLeaseClient(), leaseId, listener);
		keepAlive.timer.execute(keepAlive::round);
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
		if (this.active.compareAndSet(true, false)) {
			KeepAliveTimer.release();
		}
	}

	private void round() {
		if (!this.active.get()) {
			return;
		}
		long sent = System.nanoTime();
		long timeout = Math.min(MAX_ROUND_MILLIS, TimeUnit.NANOSECONDS.toMillis(this.ttlNanos) / 6);
		this.leases.keepAliveOnce(this.leaseId)
			.orTimeout(timeout, TimeUnit.MILLISECONDS)
			.whenComplete((response, error) -> answered(sent, response, error));
	}

	private void answered(long sent, LeaseKeepAliveResponse response, Throwable error) {
		if (!this.active.get()) {
			return;
		}
		if (error == null && response.getTTL() > 0) {
			this.ttlNanos = TimeUnit.SECONDS.toNanos(response.getTTL());
			this.lastAliveNanos = sent; // etcd renewed it after the request left, not before
			this.listener.alive();
			later(TimeUnit.NANOSECONDS.toMillis(this.ttlNanos) / 3);
		}
		else if (error == null || EtcdErrors.isLeaseNotFound(error)) {
			lost("keep-alive: lease not found");
		}
		else if (System.nanoTime() - this.lastAliveNanos >= this.ttlNanos) {
			lost("keep-alive: no answer from etcd within the TTL (" + EtcdErrors.describe(error) + ")");
		}
		else {
			if (EtcdErrors.isInvalidAuthToken(error)) {
				// jetcd renews its token when a unary call is refused for it, not when a stream is.
				this.leases.timeToLive(this.leaseId, LeaseOption.DEFAULT);
			}
			later(RETRY_MILLIS);
		}
	}

	private void later(long millis) {
		try {
			this.timer.schedule(this::round, millis, TimeUnit.MILLISECONDS);
		}
		catch (java.util.concurrent.RejectedExecutionException ex) {
			// closed meanwhile: the timer went with the last keep-alive
		}
	}

	private void lost(String reason) {
		if (this.active.compareAndSet(true, false)) {
			KeepAliveTimer.release();
			this.listener.lost(reason);
		}
	}

}
