package io.github.etcdgrpclb.election;

import static io.github.etcdgrpclb.etcd.EtcdBytes.bytes;
import static io.github.etcdgrpclb.etcd.EtcdBytes.text;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.Watch;
import io.etcd.jetcd.kv.TxnResponse;
import io.etcd.jetcd.lease.LeaseGrantResponse;
import io.etcd.jetcd.op.Cmp;
import io.etcd.jetcd.op.CmpTarget;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.PutOption;
import io.etcd.jetcd.options.WatchOption;
import io.etcd.jetcd.watch.WatchResponse;
import io.github.etcdgrpclb.etcd.Backoff;
import io.github.etcdgrpclb.etcd.EtcdErrors;
import io.github.etcdgrpclb.etcd.LeaseKeepAlive;
import io.github.etcdgrpclb.etcd.LeaseTtl;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A candidate in one leader election on etcd, with the layout of etcd's {@code concurrency.Election}
 * (so Go programs campaigning on the same name take part): the candidate puts
 * {@code <prefix>/<name>/<lease-hex>} = its id on a kept-alive lease; the leader is the key with the
 * lowest create revision; the others wait, through one watch of the election's prefix, for the keys
 * before theirs to go. Resigning deletes the key, so the next candidate leads within one watch event.
 * <p>
 * Safety: a term ends no later than its lease could expire on etcd's side — counted from the last
 * keep-alive etcd confirmed, minus a margin — even when nothing else is heard from etcd (network cut,
 * GC pause). A lost lease ends the term and campaigns again with a new one.
 * <p>
 * All mutable state is confined to the election's single thread; etcd callbacks hop onto it, each
 * carrying the campaign it belongs to, so a late callback of an old campaign changes nothing.
 */
public final class EtcdLeaderElection implements AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(EtcdLeaderElection.class);

	private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(5);

	/** How often a leader checks that its lease is still known alive. */
	private static final long VALIDITY_TICK_MILLIS = 50;

	private final Client client;

	private final String election;

	private final String candidateId;

	private final Duration ttl;

	private final long knownAliveNanos;

	private final LeadershipListener listener;

	private final ScheduledThreadPoolExecutor executor;

	// Confined to the executor.
	private final Backoff backoff = Backoff.standard();

	private boolean running;

	private long campaign;

	private LeaseKeepAlive keepAlive;

	private String myKey;

	private long myRevision;

	private Watch.Watcher watcher;

	private ScheduledFuture<?> retry;

	private ScheduledFuture<?> validityTicker;

	private long lastAliveNanos;

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
		this.client = client;
		this.election = Objects.requireNonNull(election);
		this.candidateId = Objects.requireNonNull(candidateId);
		this.ttl = LeaseTtl.check("Election lease TTL", ttl);
		this.knownAliveNanos = LeaseTtl.knownAliveNanos(ttl);
		this.listener = listener;
		this.executor = new ScheduledThreadPoolExecutor(1, (runnable) -> {
			Thread thread = new Thread(runnable, "etcd-election-" + election);
			thread.setDaemon(true);
			return thread;
		});
		this.executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
	}

	/** Starts campaigning in the background; does nothing when already started. */
	public void start() {
		run(() -> {
			if (!this.running) {
				this.running = true;
				campaign();
			}
		});
	}

	/** @return whether this candidate leads now (a valid term) */
	public boolean isLeader() {
		LeadershipTerm current = this.term;
		return current != null && current.isValid();
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
		run(() -> abandon("yielded").whenCompleteAsync((ignored, error) -> {
			done.complete(null);
			if (this.running) {
				campaign();
			}
		}, this::runQuietly));
		return done;
	}

	/** Resigns (deletes the key at once, revokes the lease) and stops campaigning. */
	@Override
	public void close() {
		CompletableFuture<Void> resigned = new CompletableFuture<>();
		try {
			this.executor.execute(() -> {
				this.running = false;
				abandon("closed").whenComplete((ignored, error) -> resigned.complete(null));
			});
			resigned.get(REQUEST_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (RejectedExecutionException ex) {
			// closed already
		}
		catch (Exception ex) {
			logger.warn("Could not resign from election {} in time; its key expires with the lease", this.election);
		}
		this.executor.shutdown();
	}

	private void campaign() {
		this.retry = null;
		if (!this.running) {
			return;
		}
		long thisCampaign = ++this.campaign;
		CompletableFuture<LeaseGrantResponse> granted = timed(
				this.client.getLeaseClient().grant(LeaseTtl.seconds(this.ttl)));
		granted.whenComplete((grant, error) -> runQuietly(() -> {
			if (thisCampaign != this.campaign || !this.running) {
				if (grant != null) {
					this.client.getLeaseClient().revoke(grant.getID());
				}
				return;
			}
			if (error != null) {
				retryLater("lease grant", error);
				return;
			}
			joinQueue(thisCampaign, grant.getID());
		}));
	}

	private void joinQueue(long thisCampaign, long lease) {
		this.lastAliveNanos = System.nanoTime(); // the lease's TTL runs from the grant
		this.keepAlive = LeaseKeepAlive.start(this.client, lease, new LeaseKeepAlive.Listener() {

			@Override
			public void alive() {
				long now = System.nanoTime();
				runQuietly(() -> onAlive(thisCampaign, now));
			}

			@Override
			public void lost(String reason) {
				runQuietly(() -> onLeaseLost(thisCampaign, reason));
			}

		});
		this.myKey = this.election + "/" + Long.toHexString(lease);
		ByteSequence key = bytes(this.myKey);
		timed(this.client.getKVClient()
			.txn()
			.If(new Cmp(key, Cmp.Op.EQUAL, CmpTarget.createRevision(0)))
			.Then(Op.put(key, bytes(this.candidateId), PutOption.builder().withLeaseId(lease).build()))
			.Else(Op.get(key, GetOption.DEFAULT))
			.commit()).whenComplete((txn, error) -> runQuietly(() -> onJoined(thisCampaign, txn, error)));
	}

	private void onJoined(long thisCampaign, TxnResponse txn, Throwable error) {
		if (thisCampaign != this.campaign) {
			return;
		}
		if (error != null) {
			abandon("could not join the election: " + EtcdErrors.describe(error));
			retryLater("join", error);
			return;
		}
		this.backoff.reset();
		this.myRevision = txn.isSucceeded() ? txn.getHeader().getRevision()
				: txn.getGetResponses().get(0).getKvs().get(0).getCreateRevision();
		watchFrom(thisCampaign, txn.getHeader().getRevision() + 1);
		readQueue(thisCampaign);
	}

	private void watchFrom(long thisCampaign, long revision) {
		WatchOption option = WatchOption.builder()
			.isPrefix(true)
			.withRevision(revision)
			.withRequireLeader(true)
			.build();
		this.watcher = this.client.getWatchClient().watch(bytes(this.election + "/"), option, new Watch.Listener() {

			@Override
			public void onNext(WatchResponse response) {
				runQuietly(() -> readQueue(thisCampaign));
			}

			@Override
			public void onError(Throwable error) {
				runQuietly(() -> onWatchFailed(thisCampaign, error));
			}

			@Override
			public void onCompleted() {
				// Preceded by onError when etcd ends the watch; a close of ours needs nothing.
			}

		});
	}

	/** Reads who is queued (oldest first) and decides: lead, wait, or start over when our key is gone. */
	private void readQueue(long thisCampaign) {
		if (thisCampaign != this.campaign) {
			return;
		}
		GetOption byAge = GetOption.builder()
			.isPrefix(true)
			.withSortField(GetOption.SortTarget.CREATE)
			.withSortOrder(GetOption.SortOrder.ASCEND)
			.build();
		timed(this.client.getKVClient().get(bytes(this.election + "/"), byAge))
			.whenComplete((response, error) -> runQuietly(() -> {
				if (thisCampaign != this.campaign) {
					return;
				}
				if (error != null) {
					logger.debug("Could not read election {}: {}", this.election, EtcdErrors.describe(error));
					return; // the next event, keep-alive or watch error reads again
				}
				decide(thisCampaign, response.getKvs());
			}));
	}

	private void decide(long thisCampaign, List<KeyValue> queue) {
		if (this.myRevision == 0) {
			return; // our put's answer is not in yet: without its revision there is no token to lead with
		}
		String leader = queue.isEmpty() ? null : text(queue.get(0).getValue());
		if (!Objects.equals(leader, this.leaderId)) {
			this.leaderId = leader;
			this.listener.leaderChanged(leader);
		}
		boolean queued = queue.stream().anyMatch((kv) -> text(kv.getKey()).equals(this.myKey));
		if (!queued) {
			// Deleted under a live lease (by hand, or Go's Resign on our key): join again at the back.
			abandon("its key was deleted");
			if (this.running) {
				campaign();
			}
			return;
		}
		boolean first = text(queue.get(0).getKey()).equals(this.myKey);
		if (first && this.term == null && validUntil() - System.nanoTime() > 0) {
			grant();
		}
		else if (!first && this.term != null) {
			stepDown("another candidate's key is older");
		}
	}

	private void grant() {
		this.term = new LeadershipTerm(this.election, this.candidateId, this.myRevision, Instant.now(), validUntil());
		logger.info("Leading election {} as {} (token {})", this.election, this.candidateId, this.myRevision);
		this.validityTicker = this.executor.scheduleWithFixedDelay(this::checkValidity, VALIDITY_TICK_MILLIS,
				VALIDITY_TICK_MILLIS, TimeUnit.MILLISECONDS);
		this.listener.granted(this.term);
	}

	private void checkValidity() {
		LeadershipTerm current = this.term;
		if (current != null && System.nanoTime() - current.validUntilNanos() >= 0) {
			stepDown("its lease was not confirmed by etcd within the TTL");
		}
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
		else if (this.myRevision != 0) {
			readQueue(thisCampaign); // after a lapse our key may still lead
		}
	}

	private void onLeaseLost(long thisCampaign, String reason) {
		if (thisCampaign != this.campaign) {
			return;
		}
		abandon("lease lost (" + reason + ")");
		retryLater("lease", null);
	}

	private void onWatchFailed(long thisCampaign, Throwable error) {
		if (thisCampaign != this.campaign || this.watcher == null) {
			return;
		}
		logger.debug("Watch of election {} failed ({}); watching again", this.election, EtcdErrors.describe(error));
		closeWatcher();
		timed(this.client.getKVClient().get(bytes(this.election + "/"), GetOption.builder().withCountOnly(true).build()))
			.whenComplete((response, failure) -> runQuietly(() -> {
				if (thisCampaign != this.campaign) {
					return;
				}
				if (failure != null) {
					retryLater("watch", failure);
					return;
				}
				watchFrom(thisCampaign, response.getHeader().getRevision() + 1);
				readQueue(thisCampaign);
			}));
	}

	/** Ends the term (if any) and gives up this campaign's key and lease. */
	private CompletableFuture<Void> abandon(String reason) {
		this.campaign++;
		if (this.term != null) {
			stepDown(reason);
		}
		closeWatcher();
		if (this.keepAlive == null) {
			return CompletableFuture.completedFuture(null);
		}
		long lease = this.keepAlive.leaseId();
		this.keepAlive.close();
		this.keepAlive = null;
		this.myKey = null;
		this.myRevision = 0;
		// Revoking deletes our key at once: the next candidate leads within one watch event.
		return timed(this.client.getLeaseClient().revoke(lease)).handle((response, error) -> null);
	}

	private void stepDown(String reason) {
		LeadershipTerm ended = this.term;
		this.term = null;
		if (this.validityTicker != null) {
			this.validityTicker.cancel(false);
			this.validityTicker = null;
		}
		ended.end();
		logger.info("No longer leading election {}: {}", this.election, reason);
		this.listener.revoked(ended, reason);
	}

	private void retryLater(String step, Throwable error) {
		if (!this.running || this.retry != null) {
			return;
		}
		Duration delay = this.backoff.next();
		logger.debug("Election {}: {} failed ({}); campaigning again in {}", this.election, step,
				(error != null) ? EtcdErrors.describe(error) : "lease gone", delay);
		this.campaign++;
		this.retry = this.executor.schedule(this::campaign, delay.toNanos(), TimeUnit.NANOSECONDS);
	}

	private long validUntil() {
		return this.lastAliveNanos + this.knownAliveNanos;
	}

	private void closeWatcher() {
		if (this.watcher != null) {
			this.watcher.close();
			this.watcher = null;
		}
	}

	private <T> CompletableFuture<T> timed(CompletableFuture<T> future) {
		return future.orTimeout(REQUEST_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
	}

	private void run(Runnable task) {
		try {
			this.executor.execute(task);
		}
		catch (RejectedExecutionException ex) {
			throw new IllegalStateException("Election " + this.election + " is closed", ex);
		}
	}

	private void runQuietly(Runnable task) {
		try {
			this.executor.execute(task);
		}
		catch (RejectedExecutionException ex) {
			// Closed: nothing left to do.
		}
	}

}
