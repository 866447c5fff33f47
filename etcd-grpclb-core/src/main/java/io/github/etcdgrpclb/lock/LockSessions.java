package io.github.etcdgrpclb.lock;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.etcd.jetcd.Client;
import io.github.etcdgrpclb.etcd.LeaseTtl;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The kept-alive leases of a template, one per lease TTL (Go's {@code concurrency.Session}): granted
 * when a lock of that TTL is first needed, granted anew once lost, revoked on close.
 */
final class LockSessions implements AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(LockSessions.class);

	/** Told once per lost lease, on jetcd's thread. */
	@FunctionalInterface
	interface LostListener {

		void lost(long leaseId, String reason);

	}

	private final Client client;

	private final LostListener onLost;

	private final Map<Long, LockSession> byTtlSeconds = new ConcurrentHashMap<>();

	private volatile boolean closed;

	LockSessions(Client client, LostListener onLost) {
		this.client = client;
		this.onLost = onLost;
	}

	/**
	 * @return the live session of the TTL, granting one when there is none
	 * @throws LockNotAcquiredException when etcd does not grant in the attempt's time, or once closed
	 */
	LockSession session(Duration leaseTtl, LockAttempt attempt) throws InterruptedException {
		long ttlSeconds = LeaseTtl.seconds(LeaseTtl.check("Lock lease TTL", leaseTtl));
		LockSession session = this.byTtlSeconds.get(ttlSeconds);
		if (session != null && session.isValid()) {
			return session;
		}
		synchronized (this.byTtlSeconds) {
			session = this.byTtlSeconds.get(ttlSeconds);
			if (session != null && session.isValid()) {
				return session;
			}
			if (this.closed) {
				throw attempt.failed(new IllegalStateException("the template is closed"));
			}
			if (session != null) {
				// Not known alive any more (its keep-alive may still be trying): give it up for good.
				session.stop();
				this.client.getLeaseClient().revoke(session.leaseId()).exceptionally((error) -> null);
			}
			long asked = System.nanoTime(); // the lease's TTL runs from etcd's grant, after this
			long leaseId = attempt.await(this.client.getLeaseClient().grant(ttlSeconds)).getID();
			LockSession fresh = LockSession.keepAlive(this.client, leaseId, asked, Duration.ofSeconds(ttlSeconds),
					(reason) -> this.onLost.lost(leaseId, reason));
			this.byTtlSeconds.put(ttlSeconds, fresh);
			return fresh;
		}
	}

	/** Stops every keep-alive and revokes the leases, which deletes every key on them. */
	@Override
	public void close() {
		List<CompletableFuture<?>> revokes = new ArrayList<>();
		synchronized (this.byTtlSeconds) {
			this.closed = true;
			this.byTtlSeconds.values().forEach((session) -> {
				session.stop();
				revokes.add(this.client.getLeaseClient().revoke(session.leaseId()).exceptionally((error) -> null));
			});
			this.byTtlSeconds.clear();
		}
		try {
			CompletableFuture.allOf(revokes.toArray(CompletableFuture[]::new))
				.get(LockAttempt.REQUEST_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		catch (ExecutionException | TimeoutException ex) {
			logger.warn("Could not revoke the etcd lock leases; they expire after their TTL");
		}
	}

}
