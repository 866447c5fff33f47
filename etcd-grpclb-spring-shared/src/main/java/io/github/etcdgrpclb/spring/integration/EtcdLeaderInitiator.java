package io.github.etcdgrpclb.spring.integration;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.etcd.jetcd.Client;
import io.github.etcdgrpclb.election.EtcdLeaderElection;
import io.github.etcdgrpclb.election.LeadershipListener;
import io.github.etcdgrpclb.election.LeadershipTerm;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.SmartLifecycle;
import org.springframework.integration.leader.Candidate;
import org.springframework.integration.leader.event.LeaderEventPublisher;

/**
 * Runs a Spring Integration {@link Candidate} in an etcd election with the layout of etcd's Go
 * {@code concurrency.Election} (the election {@code <prefix>/<role>}, the candidate's id as its
 * value): the same election as {@code @EtcdLeaderOnly} applications and Go programs of that name.
 * Calls {@link Candidate#onGranted} when the candidate leads and {@link Candidate#onRevoked} when it
 * no longer does (resigned, stopped, lease lost), then publishes {@code OnGrantedEvent} /
 * {@code OnRevokedEvent} through the {@link LeaderEventPublisher}, as Spring Integration's own
 * initiators do. The candidate is called on the election's thread, one call at a time.
 */
public class EtcdLeaderInitiator implements SmartLifecycle {

	private static final Logger logger = LoggerFactory.getLogger(EtcdLeaderInitiator.class);

	private final Client client;

	private final Candidate candidate;

	private final String election;

	private final Duration ttl;

	private volatile LeaderEventPublisher publisher;

	private volatile EtcdLeaderElection running;

	/** Completes once the candidate was told of the end of its current term: {@link #stop()} waits for it. */
	private volatile CompletableFuture<Void> revoked = CompletableFuture.completedFuture(null);

	/**
	 * @param client the etcd client
	 * @param candidate the candidate; its role names the election (one key segment: no '/')
	 * @param prefix the elections' key prefix, e.g. {@code /election}
	 * @param ttl the lease TTL (at least 2 s): how long a crashed leader blocks the election
	 */
	public EtcdLeaderInitiator(Client client, Candidate candidate, String prefix, Duration ttl) {
		String role = candidate.getRole();
		if (role == null || !role.matches("[^\\s/]+")) {
			throw new IllegalArgumentException("A candidate's role names its etcd election: one key segment without '/'"
					+ " or white space, was '" + role + "'");
		}
		this.client = client;
		this.candidate = candidate;
		this.election = prefix + "/" + role;
		this.ttl = ttl;
	}

	/** @param publisher publishes OnGranted/OnRevoked events (null: none) */
	public void setLeaderEventPublisher(LeaderEventPublisher publisher) {
		this.publisher = publisher;
	}

	/** @return the candidate's view of its leadership: whether it leads, and a way to yield */
	public EtcdLeaderContext getContext() {
		return new EtcdLeaderContext(this.running, this.candidate.getRole());
	}

	@Override
	public synchronized void start() {
		if (this.running == null) {
			EtcdLeaderElection started = new EtcdLeaderElection(this.client, this.election, this.candidate.getId(), this.ttl,
					new CandidateCalls());
			this.running = started;
			started.start();
		}
	}

	/** Resigns: the candidate is revoked, and the next candidate leads within one watch event. */
	@Override
	public synchronized void stop() {
		EtcdLeaderElection stopping = this.running;
		if (stopping != null) {
			stopping.close();
			this.running = null;
			try {
				// onRevoked and its event come on the election's thread: within the context's stop, not after it.
				this.revoked.get(5, TimeUnit.SECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			catch (ExecutionException | TimeoutException ex) {
				logger.warn("Candidate {} was not told of its revocation in time", this.candidate.getId());
			}
		}
	}

	@Override
	public boolean isRunning() {
		return this.running != null;
	}

	/** Late in the start, early in the stop: leadership is handed over before the rest shuts down. */
	@Override
	public int getPhase() {
		return Integer.MAX_VALUE - 1000;
	}

	private final class CandidateCalls implements LeadershipListener {

		@Override
		public void granted(LeadershipTerm term) {
			EtcdLeaderInitiator.this.revoked = new CompletableFuture<>();
			EtcdLeaderContext context = getContext();
			try {
				EtcdLeaderInitiator.this.candidate.onGranted(context);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
			catch (RuntimeException ex) {
				logger.warn("Candidate {} of election {} failed to take leadership; yielding it", candidateId(),
						EtcdLeaderInitiator.this.election, ex);
				context.yield();
				return;
			}
			LeaderEventPublisher events = EtcdLeaderInitiator.this.publisher;
			if (events != null) {
				events.publishOnGranted(EtcdLeaderInitiator.this, context, context.getRole());
			}
		}

		@Override
		public void revoked(LeadershipTerm term, String reason) {
			EtcdLeaderContext context = getContext();
			try {
				EtcdLeaderInitiator.this.candidate.onRevoked(context);
			}
			catch (RuntimeException ex) {
				logger.warn("Candidate {} of election {} failed on its revocation ({})", candidateId(),
						EtcdLeaderInitiator.this.election, reason, ex);
			}
			LeaderEventPublisher events = EtcdLeaderInitiator.this.publisher;
			try {
				if (events != null) {
					events.publishOnRevoked(EtcdLeaderInitiator.this, context, context.getRole());
				}
			}
			finally {
				EtcdLeaderInitiator.this.revoked.complete(null);
			}
		}

		private String candidateId() {
			return EtcdLeaderInitiator.this.candidate.getId();
		}

	}

}
