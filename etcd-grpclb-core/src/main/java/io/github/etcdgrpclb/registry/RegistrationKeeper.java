package io.github.etcdgrpclb.registry;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.UnaryOperator;

import io.etcd.jetcd.Client;
import io.github.etcdgrpclb.etcd.Backoff;
import io.github.etcdgrpclb.etcd.EtcdErrors;
import io.github.etcdgrpclb.etcd.EtcdSource;
import io.github.etcdgrpclb.etcd.InstanceMetadata;
import io.github.etcdgrpclb.etcd.LeaseKeepAlive;
import io.github.etcdgrpclb.etcd.LeaseTtl;
import io.github.etcdgrpclb.etcd.Retry;
import io.github.etcdgrpclb.etcd.StateMachineThreads;
import io.grpc.SynchronizationContext;
import io.grpc.SynchronizationContext.ScheduledHandle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps one server registered in etcd: grants a lease, puts the key on it, keeps the lease alive
 * with jetcd's streaming keep-alive, and registers again (new lease, same key) whenever the lease is
 * lost — keep-alive completed (lease expired, e.g. etcd down longer than the TTL), lease not found
 * (revoked), or the key deleted under a live lease — retrying forever with capped backoff and jitter.
 * {@link #deregister} revokes the lease, which removes the key at once. An operator's override of
 * the weight, or a drain, is read before the first put and followed from then on
 * ({@link OperatorOverride}).
 * <p>
 * All mutable state is confined to a SynchronizationContext; etcd callbacks hop into it, and each
 * carries the attempt or lease it belongs to, so a late callback of an old lease changes nothing.
 */
public final class RegistrationKeeper implements AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(RegistrationKeeper.class);

	private static final Duration RECONNECT_TICK = Duration.ofMillis(500);

	private static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(2);

	private final EtcdSource etcd;

	private final Duration ttl;

	private final Duration closeTimeout;

	private final SynchronizationContext syncContext;

	private final ScheduledExecutorService timer;

	// Confined to the sync context.
	private final Retry retry;

	private RegistryEntry registration;

	private boolean active;

	/** Set once the registrar is closed: callers are refused, a late etcd callback only cleans up. */
	private volatile boolean closed;

	private long attempt;

	private long leaseId;

	/**
	 * Leases given up as lost but not revoked yet: etcd may still hold our key on one of them (a
	 * restarted etcd renews every lease), and revoking it before our key is on a new lease would
	 * delete the key and empty the clients' address lists for a moment. Revoked once the key moved.
	 */
	private final List<Long> abandonedLeases = new ArrayList<>();

	/** Callers of {@link #start()} waiting for the registration. */
	private final List<CompletableFuture<Void>> awaitingRegistration = new ArrayList<>();

	private EtcdSource.KeepAlive keepAlive;

	private OwnKeyWatch keyWatcher;

	private ScheduledHandle reconnectTicker;

	private boolean failureLogged;

	/** An operator's change to what we publish: null until read, and the first put waits for it. */
	private OperatorOverride override;

	private OperatorOverrideWatch overrideWatch;

	/** The attempt whose lease was granted before the override was read, its put waiting (0: none). */
	private long awaitingOverride;

	/** Whether our metadata's sibling key may be in etcd (a revoked lease took it with it). */
	private boolean metadataWritten;

	private volatile RegistrationStatus status;

	/**
	 * Creates a registrar with a backoff of 200 ms doubling up to 2 s and a 2 s request timeout.
	 * @param client the etcd client (not closed by the registrar)
	 * @param registration what to publish
	 * @param ttl the lease TTL (whole seconds, at least 2 s)
	 */
	public RegistrationKeeper(Client client, RegistryEntry registration, Duration ttl) {
		this(client, registration, ttl, Backoff.standard(), DEFAULT_REQUEST_TIMEOUT);
	}

	/**
	 * Creates a registrar.
	 * @param client the etcd client (not closed by the registrar)
	 * @param registration what to publish
	 * @param ttl the lease TTL (whole seconds, at least 2 s)
	 * @param backoff the delays between failed attempts
	 * @param requestTimeout how long one etcd request may take
	 */
	public RegistrationKeeper(Client client, RegistryEntry registration, Duration ttl, Backoff backoff,
			Duration requestTimeout) {
		this(EtcdSource.of(client, requestTimeout), registration, ttl, backoff, requestTimeout,
				StateMachineThreads.syncContext(logger, "the registrar of " + registration.key()),
				StateMachineThreads.timer("etcd-registrar-" + registration.serviceName()));
	}

	RegistrationKeeper(EtcdSource etcd, RegistryEntry registration, Duration ttl, Backoff backoff,
			Duration closeTimeout, SynchronizationContext syncContext, ScheduledExecutorService timer) {
		LeaseTtl.check("Lease TTL", ttl);
		this.etcd = etcd;
		this.registration = registration;
		this.ttl = ttl;
		this.closeTimeout = closeTimeout;
		this.syncContext = syncContext;
		this.timer = timer;
		this.retry = new Retry(syncContext, timer, backoff);
		this.status = RegistrationStatus.initial(registration, ttl);
	}

	/** @return a snapshot of the registration's state */
	public RegistrationStatus status() {
		return this.status;
	}

	/**
	 * Starts registering in the background; does nothing when already started.
	 * @return completes once registered (at once when registered already); retries go on meanwhile
	 */
	public CompletableFuture<Void> start() {
		CompletableFuture<Void> registered = new CompletableFuture<>();
		run(() -> {
			if (isPublished()) {
				registered.complete(null);
			}
			else {
				this.awaitingRegistration.add(registered);
			}
			if (this.active) {
				return;
			}
			this.active = true;
			this.failureLogged = false;
			this.retry.succeeded();
			setState(RegistrationState.REGISTERING, 0);
			this.overrideWatch = new OperatorOverrideWatch(this.etcd, this.registration.opsKey(), this.closeTimeout,
					this.syncContext, this.timer, this::overrideRead);
			this.overrideWatch.start();
			attempt();
		});
		return registered;
	}

	/**
	 * Changes the published weight on the same lease (clients see a PUT of the same key).
	 * @param weight the new weight
	 * @return completes when etcd has the new value, or at once when not registered (the next
	 * registration publishes it)
	 */
	public CompletableFuture<Void> updateWeight(int weight) {
		return update((entry) -> entry.withWeight(weight), "the weight", weight);
	}

	/**
	 * Changes the published metadata on the same lease (its sibling key; none removes it).
	 * @param metadata the new metadata
	 * @return completes when etcd has it, or at once when not registered (the next registration
	 * publishes it)
	 */
	public CompletableFuture<Void> updateMetadata(InstanceMetadata metadata) {
		return update((entry) -> entry.withMetadata(metadata), "the metadata", metadata.values());
	}

	private CompletableFuture<Void> update(UnaryOperator<RegistryEntry> change, String what, Object value) {
		CompletableFuture<Void> done = new CompletableFuture<>();
		run(() -> {
			this.registration = change.apply(this.registration);
			this.status = this.status.with(published(), currentOverride());
			if (!isPublished()) {
				done.complete(null);
				return;
			}
			long lease = this.leaseId;
			put(lease).whenComplete((revision, error) -> this.syncContext.execute(() -> {
				if (error != null) {
					onRequestFailure(lease, "update of " + what, error);
					done.completeExceptionally(error);
				}
				else {
					logger.info("Changed {} of {} to {}", what, this.registration.key(), value);
					done.complete(null);
				}
			}));
		});
		return done;
	}

	/**
	 * Deregisters: stops re-registering and revokes the lease, which deletes the key at once. Safe to
	 * call more than once; {@link #start()} registers again afterwards.
	 * @param timeout how long to wait for etcd
	 * @return whether the lease is known to be revoked (otherwise the key expires within the TTL)
	 */
	public boolean deregister(Duration timeout) {
		CompletableFuture<Boolean> revoked = deregisterAsync();
		try {
			return revoked.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (TimeoutException ex) {
			logger.warn("Could not revoke the lease of {} within {}; the key expires within {}",
					this.registration.key(), timeout, this.ttl);
			return false;
		}
		catch (ExecutionException ex) {
			return false;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
	}

	/** @return completes with whether the lease is known to be revoked (see {@link #deregister}) */
	CompletableFuture<Boolean> deregisterAsync() {
		CompletableFuture<Boolean> revoked = new CompletableFuture<>();
		this.syncContext.execute(() -> revokeAndStop(revoked));
		return revoked;
	}

	/** Deregisters and releases the registrar's thread; a callback still under way only cleans up. */
	@Override
	public void close() {
		deregister(this.closeTimeout);
		this.closed = true;
		this.timer.shutdown();
	}

	private void revokeAndStop(CompletableFuture<Boolean> revoked) {
		if (!this.active) {
			revoked.complete(true);
			return;
		}
		// Nobody waits for a registration that is not going to happen.
		this.awaitingRegistration.forEach((waiting) -> waiting.complete(null));
		this.awaitingRegistration.clear();
		this.active = false;
		this.attempt++;
		this.retry.cancel();
		stopReconnectTicker();
		closeStreams();
		closeOverrideWatch();
		long lease = this.leaseId;
		this.leaseId = 0;
		revokeAbandonedLeases(); // the key may still be on one of them
		setState(RegistrationState.DEREGISTERED, 0);
		if (lease == 0) {
			revoked.complete(true);
			return;
		}
		this.etcd.revoke(lease).whenComplete((response, error) -> {
			if (error != null) {
				logger.warn("Could not revoke lease {} of {}: {}; the key expires within {}", Long.toHexString(lease),
						this.registration.key(), EtcdErrors.describe(error), this.ttl);
			}
			else {
				logger.info("Deregistered {} (lease {} revoked)", this.registration.key(), Long.toHexString(lease));
			}
			revoked.complete(error == null);
		});
	}

	private void attempt() {
		if (!this.active) {
			return;
		}
		long thisAttempt = ++this.attempt;
		// A grant waits for a ready connection; keep the channel from idling in its reconnect backoff
		// so that the grant goes through within half a second of etcd serving again.
		tickReconnects();
		this.etcd.grant(this.ttl)
			.whenComplete((lease, error) -> this.syncContext.execute(() -> onGrant(thisAttempt, lease, error)));
	}

	private void onGrant(long thisAttempt, Long lease, Throwable grantError) {
		stopReconnectTicker();
		if (grantError != null) {
			if (thisAttempt == this.attempt) {
				retryLater("lease grant", grantError);
			}
			return;
		}
		if (thisAttempt != this.attempt) {
			revokeQuietly(lease); // deregistered or closed while the grant was under way
			return;
		}
		// Known at once, so that a deregistration from now on revokes it (a put still under way
		// then fails on the revoked lease instead of leaving a key for the TTL).
		this.leaseId = lease;
		if (this.override == null) {
			this.awaitingOverride = thisAttempt; // a pinned drain must keep even the first put from happening
			this.overrideWatch.readNow(); // etcd answered the grant: no need to wait out the read's backoff
			return;
		}
		putOnGrantedLease(thisAttempt, lease);
	}

	private void putOnGrantedLease(long thisAttempt, long lease) {
		put(lease).whenComplete((revision, putError) -> this.syncContext.execute(() -> {
			if (thisAttempt != this.attempt) {
				return;
			}
			if (putError != null) {
				this.leaseId = 0;
				revokeQuietly(lease);
				retryLater("put", putError);
			}
			else {
				registered(lease, revision);
			}
		}));
	}

	private void registered(long lease, long revision) {
		this.leaseId = lease;
		revokeAbandonedLeases(); // our key is on the new lease now: the old ones hold nothing
		this.retry.succeeded();
		this.failureLogged = false;
		setState(publishedState(), lease);
		if (isDrained()) {
			logger.info("Registered {} on lease {} (ttl {}) without its key: drained {}", this.registration.key(),
					Long.toHexString(lease), this.ttl, this.override.describe());
		}
		else {
			logger.info("Registered {} = {} on lease {} (ttl {})", this.registration.key(), published().value(),
					Long.toHexString(lease), this.ttl);
		}
		this.awaitingRegistration.forEach((waiting) -> waiting.complete(null));
		this.awaitingRegistration.clear();
		this.keepAlive = this.etcd.keepAlive(lease, keepAliveListener(lease));
		if (!isDrained()) {
			watchOwnKey(lease, revision + 1);
		}
	}

	/** An override read (the first one, or a change): publishes what it asks for. */
	private void overrideRead(OperatorOverride read) {
		if (!this.active) {
			return;
		}
		OperatorOverride previous = this.override;
		this.override = read;
		this.status = this.status.with(published(), read);
		if (previous == null) {
			if (!read.isNone()) {
				logger.info("An operator's override of {} is in force: {}", this.registration.key(), read.describe());
			}
			if (this.awaitingOverride == this.attempt && this.leaseId != 0) {
				this.awaitingOverride = 0;
				putOnGrantedLease(this.attempt, this.leaseId);
			}
			return;
		}
		if (read.equals(previous)) {
			return;
		}
		logger.info("An operator changed {}: {}", this.registration.key(),
				read.isNone() ? "override removed, its own weight " + this.registration.weight() + " again" : read.describe());
		if (isPublished()) {
			publish(this.leaseId);
		}
	}

	/** Watches our own key: a delete while our lease lives (by hand, a snapshot restore) is put back. */
	private void watchOwnKey(long lease, long fromRevision) {
		this.keyWatcher = OwnKeyWatch.start(this.etcd, this.registration.key(), lease, fromRevision, this.syncContext,
				(watchedLease, reason) -> {
					if (watchedLease == this.leaseId) {
						publish(watchedLease);
					}
				});
	}

	/**
	 * Puts our key again on our lease (or withdraws it, drained) and watches it from there: after a
	 * delete by someone else, a failed watch, an operator's change. A dead lease means a new registration.
	 */
	private void publish(long lease) {
		closeWatcher();
		put(lease).whenComplete((revision, error) -> this.syncContext.execute(() -> {
			if (lease != this.leaseId) {
				return;
			}
			if (error != null) {
				onRequestFailure(lease, "publish", error);
				if (lease == this.leaseId) {
					this.retry.later(() -> publish(lease));
				}
				return;
			}
			setState(publishedState(), lease);
			if (!isDrained()) {
				watchOwnKey(lease, revision + 1);
			}
		}));
	}

	private void onRequestFailure(long lease, String step, Throwable error) {
		if (EtcdErrors.isLeaseNotFound(error)) {
			leaseLost(lease, step + ": lease not found");
		}
		else {
			logger.debug("{} of {} failed: {}", step, this.registration.key(), error.toString());
		}
	}

	private void leaseLost(long lease, String reason) {
		if (!this.active || lease != this.leaseId) {
			return;
		}
		closeStreams();
		this.leaseId = 0;
		this.retry.cancel();
		this.abandonedLeases.add(lease);
		this.status = this.status.lost(reason, Instant.now());
		logger.warn("Lost the registration of {} ({}); registering again", this.registration.key(), reason);
		attempt();
	}

	private void retryLater(String step, Throwable error) {
		String reason = step + " failed: " + EtcdErrors.describe(error);
		this.status = this.status.failed(reason, Instant.now());
		Duration delay = this.retry.later(() -> {
			this.etcd.reconnectNow();
			attempt();
		});
		if (!this.failureLogged) {
			this.failureLogged = true;
			logger.warn("Could not register {} ({}); retrying with backoff until it works", this.registration.key(),
					reason);
		}
		else {
			logger.debug("Could not register {} ({}); next attempt in {}", this.registration.key(), reason, delay);
		}
	}

	/**
	 * Puts our key, and our metadata's sibling key when there is metadata, in one transaction; deletes
	 * the sibling key once the metadata is gone, and our key while drained. Without metadata or a drain
	 * it is the Go tutorial's single put.
	 */
	private CompletableFuture<Long> put(long lease) {
		RegistryEntry entry = published();
		boolean drained = isDrained();
		if (!drained && entry.metadata().isEmpty() && !this.metadataWritten) {
			return this.etcd.put(entry.key(), entry.value(), lease);
		}
		boolean withMetadata = !entry.metadata().isEmpty();
		Map<String, String> puts = new LinkedHashMap<>();
		Set<String> deletes = new LinkedHashSet<>();
		if (drained) {
			deletes.add(entry.key());
		}
		else {
			puts.put(entry.key(), entry.value());
		}
		if (withMetadata) {
			puts.put(entry.metadataKey(), entry.metadata().toJson());
		}
		else if (this.metadataWritten) {
			deletes.add(entry.metadataKey());
		}
		return this.etcd.putAll(puts, deletes, lease)
			.whenComplete((revision, error) -> this.syncContext.execute(() -> {
				if (error == null) {
					this.metadataWritten = withMetadata;
				}
			}));
	}

	/** Revokes a lease nobody uses any more; a failure only means it expires after its TTL. */
	private void revokeQuietly(long lease) {
		this.etcd.revoke(lease).whenComplete((response, error) -> {
			if (error != null) {
				logger.debug("Could not revoke abandoned lease {}: {}", Long.toHexString(lease), error.toString());
			}
		});
	}

	private void revokeAbandonedLeases() {
		this.abandonedLeases.forEach(this::revokeQuietly);
		this.abandonedLeases.clear();
	}

	/** @return what we publish: our own registration, with an operator's weight when there is one */
	private RegistryEntry published() {
		return (this.override != null) ? this.override.applyTo(this.registration) : this.registration;
	}

	private OperatorOverride currentOverride() {
		return (this.override != null) ? this.override : OperatorOverride.NONE;
	}

	private boolean isDrained() {
		return this.override != null && this.override.drained();
	}

	/** @return whether a lease of ours is live and our key is (or is withheld) on it */
	private boolean isPublished() {
		RegistrationState state = this.status.state();
		return state == RegistrationState.REGISTERED || state == RegistrationState.DRAINED;
	}

	private RegistrationState publishedState() {
		return isDrained() ? RegistrationState.DRAINED : RegistrationState.REGISTERED;
	}

	private void setState(RegistrationState state, long lease) {
		this.status = this.status.with(state, lease);
	}

	private void tickReconnects() {
		if (this.closed) {
			return;
		}
		this.reconnectTicker = this.syncContext.schedule(() -> {
			this.etcd.reconnectNow();
			tickReconnects();
		}, RECONNECT_TICK.toNanos(), TimeUnit.NANOSECONDS, this.timer);
	}

	private void stopReconnectTicker() {
		if (this.reconnectTicker != null) {
			this.reconnectTicker.cancel();
			this.reconnectTicker = null;
		}
	}

	private void closeStreams() {
		if (this.keepAlive != null) {
			this.keepAlive.close();
			this.keepAlive = null;
		}
		closeWatcher();
	}

	private void closeOverrideWatch() {
		if (this.overrideWatch != null) {
			this.overrideWatch.close();
			this.overrideWatch = null;
		}
		this.override = null; // read again before the next registration's first put
		this.awaitingOverride = 0;
	}

	private void closeWatcher() {
		if (this.keyWatcher != null) {
			this.keyWatcher.close();
			this.keyWatcher = null;
		}
	}

	private void run(Runnable task) {
		if (this.closed) {
			throw new IllegalStateException("Registrar of " + this.registration.key() + " is closed");
		}
		this.syncContext.execute(task);
	}

	/** Keep-alives of one lease, in the sync context; a lost lease means registering again. */
	private LeaseKeepAlive.Listener keepAliveListener(long lease) {
		return new LeaseKeepAlive.Listener() {

			@Override
			public void alive() {
				RegistrationKeeper.this.syncContext.execute(() -> {
					if (lease == RegistrationKeeper.this.leaseId) {
						RegistrationKeeper.this.status = RegistrationKeeper.this.status.keptAlive(Instant.now());
					}
				});
			}

			@Override
			public void lost(String reason) {
				RegistrationKeeper.this.syncContext.execute(() -> leaseLost(lease, reason));
			}

		};
	}

}
