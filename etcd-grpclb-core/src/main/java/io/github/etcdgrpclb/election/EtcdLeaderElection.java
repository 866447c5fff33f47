package io.github.etcdgrpclb.election;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.etcd.jetcd.Client;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.watch.WatchEvent;
import io.github.etcdgrpclb.etcd.Backoff;
import io.github.etcdgrpclb.etcd.EtcdErrors;
import io.github.etcdgrpclb.etcd.EtcdSource;
import io.github.etcdgrpclb.etcd.LeaseKeepAlive;
import io.github.etcdgrpclb.etcd.LeaseTtl;
import io.github.etcdgrpclb.etcd.PrefixWatch;
import io.github.etcdgrpclb.etcd.Retry;
import io.github.etcdgrpclb.etcd.StateMachineThreads;
import io.grpc.Deadline;
import io.grpc.SynchronizationContext;
import io.grpc.SynchronizationContext.ScheduledHandle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A candidate in one leader election on etcd, with the layout of etcd's {@code concurrency.Election}
 * (so Go programs campaigning on the same name take part): the candidate puts
 * {@code <prefix>/<name>/<lease-hex>} = its id on a kept-alive lease; the leader is the key with the
 * lowest create revision. A {@link PrefixWatch} of the election keeps the queue (list, watch, re-list
 * after compaction or failure, periodic resync), so a handover costs no read: resigning deletes the
 * key, and the next candidate leads within one watch event.
 * <p>
 * Safety: a term ends no later than its lease could expire on etcd's side — counted from the last
 * keep-alive etcd confirmed, minus a margin — even when nothing else is heard from etcd (network cut,
 * GC pause). A lost lease ends the term and campaigns again with a new one.
 * <p>
 * All mutable state is confined to a SynchronizationContext; etcd callbacks hop into it, each carrying
 * the campaign it belongs to, so a late callback of an old campaign changes nothing. The listener is
 * called on the election's own thread, in order.
 */
public final class EtcdLeaderElection implements AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(EtcdLeaderElection.class);

	private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(5);

	private static final Duration RESYNC_INTERVAL = Duration.ofMinutes(5);

	private final EtcdSource etcd;

	private final String election;

	private final String candidateId;

	private final Duration ttl;

	private final long knownAliveNanos;

	private final LeadershipListener listener;

	private final SynchronizationContext syncContext;

	private final ScheduledExecutorService timer;

	private final Executor notifier;

	private final Deadline.Ticker ticker;

	// Confined to the sync context.
	private final Retry retry;

	private final CandidateQueue queue = new CandidateQueue();

	private final PrefixWatch watch;

	private boolean running;

	private long campaign;

	private EtcdSource.KeepAlive keepAlive;

	private long lease;

	private String myKey;

	private long myRevision;

	private long lastAliveNanos;

	private ScheduledHandle validityCheck;

	private volatile LeadershipTerm term;

	private volatile String leaderId;

	/**
	 * @param client the etcd client (not closed here)
	 * @param election the election's key, {@code <prefix>/<name>} (no trailing slash)
	 * @param candidateId this candidate's id, the value of its key (what {@code Leader()} reports)
	 * @param ttl the lease TTL (at least 2 s): how long a crashed leader blocks the election
	 * @param listener told of terms and leader changes
	 */
	public EtcdLeaderElection(Client client, String election, String candidateId, Duration ttl,
			LeadershipListener listener) {
		this(EtcdSource.of(client, REQUEST_TIMEOUT), election, candidateId, ttl, listener,
				StateMachineThreads.syncContext(logger, "election " + election),
				StateMachineThreads.timer("etcd-election-" + election), Deadline.getSystemTicker());
	}

	EtcdLeaderElection(EtcdSource etcd, String election, String candidateId, Duration ttl,
			LeadershipListener listener, SynchronizationContext syncContext, ScheduledExecutorService timer,
			Deadline.Ticker ticker) {
		this.etcd = etcd;
		this.election = Objects.requireNonNull(election);
		this.candidateId = Objects.requireNonNull(candidateId);
		this.ttl = LeaseTtl.check("Election lease TTL", ttl);
		this.knownAliveNanos = LeaseTtl.knownAliveNanos(ttl);
		this.listener = listener;
		this.syncContext = syncContext;
		this.timer = timer;
		// The timer's one thread: listener calls come in the order the election made them.
		this.notifier = timer;
		this.ticker = ticker;
		this.retry = new Retry(syncContext, timer, Backoff.standard());
		this.watch = new PrefixWatch(etcd, election + "/", REQUEST_TIMEOUT, RESYNC_INTERVAL, syncContext, timer,
				new QueueWatcher());
	}

	/** Starts campaigning in the background; does nothing when already started. */
	public void start() {
		this.syncContext.execute(() -> {
			if (!this.running) {
				this.running = true;
				this.watch.start();
				campaign();
			}
		});
	}

	/** @return whether this candidate leads now (a valid term) */
	public boolean isLeader() {
		return term() != null;
	}

	/** @return this candidate's current term, or null when it does not lead */
	public LeadershipTerm term() {
		LeadershipTerm current = this.term;
		return (current != null && current.isValid()) ? current : null;
	}

	/** @return the id of the leader as this candidate observes it, or null when nobody leads */
	public String leader() {
		return this.leaderId;
	}

	/** @return the election, {@code <prefix>/<name>} */
	public String election() {
		return this.election;
	}

	/** @return this candidate's id */
	public String candidateId() {
		return this.candidateId;
	}

	/**
	 * Gives up leadership (if held) and campaigns again at the back of the queue: the next candidate
	 * leads within one watch event.
	 * @return completes once this candidate's key is gone
	 */
	public CompletableFuture<Void> yieldLeadership() {
		CompletableFuture<Void> done = new CompletableFuture<>();
		this.syncContext.execute(() -> abandon("yielded").whenComplete((ignored, error) -> this.syncContext.execute(() -> {
			done.complete(null);
			if (this.running) {
				campaign();
			}
		})));
		return done;
	}

	/** Resigns (deletes the key at once, revokes the lease) and stops campaigning. */
	@Override
	public void close() {
		try {
			resign().get(REQUEST_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (Exception ex) {
			logger.warn("Could not resign from election {} in time; its key expires with the lease", this.election);
		}
		this.timer.shutdown();
	}

	/** @return completes once this candidate's key is gone; campaigning has stopped */
	CompletableFuture<Void> resign() {
		CompletableFuture<Void> resigned = new CompletableFuture<>();
		this.syncContext.execute(() -> {
			this.running = false;
			this.watch.close();
			this.retry.cancel();
			abandon("closed").whenComplete((ignored, error) -> resigned.complete(null));
		});
		return resigned;
	}

	private void campaign() {
		if (!this.running) {
			return;
		}
		long thisCampaign = ++this.campaign;
		this.etcd.grant(this.ttl)
			.whenComplete((granted, error) -> this.syncContext.execute(() -> onGranted(thisCampaign, granted, error)));
	}

	private void onGranted(long thisCampaign, Long granted, Throwable error) {
		if (thisCampaign != this.campaign || !this.running) {
			if (granted != null) {
				this.etcd.revoke(granted);
			}
			return;
		}
		if (error != null) {
			retryLater("lease grant", error);
			return;
		}
		this.lease = granted;
		this.lastAliveNanos = this.ticker.nanoTime(); // the lease's TTL runs from the grant
		this.keepAlive = this.etcd.keepAlive(granted, new LeaseKeepAlive.Listener() {

			@Override
			public void alive() {
				long now = EtcdLeaderElection.this.ticker.nanoTime();
				EtcdLeaderElection.this.syncContext.execute(() -> onAlive(thisCampaign, now));
			}

			@Override
			public void lost(String reason) {
				EtcdLeaderElection.this.syncContext.execute(() -> onLeaseLost(thisCampaign, reason));
			}

		});
		this.myKey = this.election + "/" + Long.toHexString(granted);
		this.etcd.create(this.myKey, this.candidateId, granted)
			.whenComplete((revision, failure) -> this.syncContext.execute(() -> onJoined(thisCampaign, revision, failure)));
	}

	private void onJoined(long thisCampaign, Long createRevision, Throwable error) {
		if (thisCampaign != this.campaign) {
			return;
		}
		if (error != null) {
			abandon("could not join the election: " + EtcdErrors.describe(error));
			retryLater("join", error);
			return;
		}
		this.retry.succeeded();
		this.myRevision = createRevision;
		decide();
	}

	/** Decides from the queue: lead, wait, or start over when our key is gone. */
	private void decide() {
		CandidateQueue.Candidate first = this.queue.leader();
		String leader = (first != null) ? first.id() : null;
		if (!Objects.equals(leader, this.leaderId)) {
			this.leaderId = leader;
			this.notifier.execute(() -> this.listener.leaderChanged(leader));
		}
		if (this.myRevision == 0 || this.queue.revision() < this.myRevision) {
			return; // not queued yet, or the watch has not reached our put
		}
		if (!this.queue.contains(this.myKey)) {
			// Deleted under a live lease (by hand, or Go's Resign on our key): join again at the back.
			abandon("its key was deleted");
			campaign();
			return;
		}
		boolean leading = first.key().equals(this.myKey);
		if (leading && this.term == null && validUntil() - this.ticker.nanoTime() > 0) {
			grant();
		}
		else if (!leading && this.term != null) {
			stepDown("another candidate's key is older");
		}
	}

	private void grant() {
		LeadershipTerm granted = new LeadershipTerm(this.election, this.candidateId, this.myKey, this.myRevision,
				Instant.now(), validUntil(), this.ticker);
		this.term = granted;
		logger.info("Leading election {} as {} (token {})", this.election, this.candidateId, this.myRevision);
		checkValidityWhenDue();
		this.notifier.execute(() -> this.listener.granted(granted));
	}

	/** Ends the term the moment its lease is no longer known alive, unless a keep-alive extended it. */
	private void checkValidityWhenDue() {
		LeadershipTerm current = this.term;
		if (current == null) {
			return;
		}
		long left = current.validUntilNanos() - this.ticker.nanoTime();
		if (left <= 0) {
			stepDown("its lease was not confirmed by etcd within the TTL");
			return;
		}
		this.validityCheck = this.syncContext.schedule(this::checkValidityWhenDue, left, TimeUnit.NANOSECONDS,
				this.timer);
	}

	private void onAlive(long thisCampaign, long aliveNanos) {
		if (thisCampaign != this.campaign) {
			return;
		}
		this.lastAliveNanos = aliveNanos;
		LeadershipTerm current = this.term;
		if (current != null) {
			current.extendTo(validUntil());
		}
		else {
			decide(); // after a lapse our key may still lead
		}
	}

	private void onLeaseLost(long thisCampaign, String reason) {
		if (thisCampaign != this.campaign) {
			return;
		}
		abandon("lease lost (" + reason + ")");
		retryLater("lease", null);
	}

	/** Ends the term (if any) and gives up this campaign's key and lease. */
	private CompletableFuture<Void> abandon(String reason) {
		this.campaign++;
		if (this.term != null) {
			stepDown(reason);
		}
		if (this.keepAlive == null) {
			return CompletableFuture.completedFuture(null);
		}
		this.keepAlive.close();
		this.keepAlive = null;
		this.myKey = null;
		this.myRevision = 0;
		// Revoking deletes our key at once: the next candidate leads within one watch event.
		return this.etcd.revoke(this.lease).handle((response, error) -> null);
	}

	private void stepDown(String reason) {
		LeadershipTerm ended = this.term;
		this.term = null;
		if (this.validityCheck != null) {
			this.validityCheck.cancel();
			this.validityCheck = null;
		}
		ended.end();
		logger.info("No longer leading election {}: {}", this.election, reason);
		this.notifier.execute(() -> this.listener.revoked(ended, reason));
	}

	private void retryLater(String step, Throwable error) {
		if (!this.running || this.retry.isPending()) {
			return;
		}
		this.campaign++;
		Duration delay = this.retry.later(this::campaign);
		logger.debug("Election {}: {} failed ({}); campaigning again in {}", this.election, step,
				(error != null) ? EtcdErrors.describe(error) : "lease gone", delay);
	}

	private long validUntil() {
		return this.lastAliveNanos + this.knownAliveNanos;
	}

	/** The queue, as the election's prefix watch lists and changes it, in the sync context. */
	private final class QueueWatcher implements PrefixWatch.Listener {

		@Override
		public void listed(GetResponse response) {
			EtcdLeaderElection.this.queue.replace(response.getKvs(), response.getHeader().getRevision());
			decide();
		}

		@Override
		public void changed(List<WatchEvent> events, long revision) {
			EtcdLeaderElection.this.queue.apply(events, revision);
			decide();
		}

		@Override
		public void listFailed(String reason, Throwable error) {
			logger.debug("Election {}: {}", EtcdLeaderElection.this.election, reason);
		}

		@Override
		public void watchFailed(Throwable error) {
		}

		@Override
		public void etcdLost(String reason) {
		}

		@Override
		public void etcdBack() {
		}

	}

}
