package io.github.etcdgrpclb.spring.election;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.Supplier;

import io.github.etcdgrpclb.election.EtcdLeaderElection;
import io.github.etcdgrpclb.election.LeadershipListener;
import io.github.etcdgrpclb.election.LeadershipTerm;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ApplicationContextAware;
import org.springframework.context.ApplicationEvent;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.core.Ordered;
import org.springframework.context.event.SmartApplicationListener;

/**
 * This application's place in its leader election: whether it leads, who does, the fencing token,
 * and {@link #yieldLeadership()}. Campaigns once the application is ready (its gRPC server, whose
 * address is the default candidate id, is up by then) and resigns first thing when its context
 * closes, so that the next candidate leads within one watch event. Publishes
 * {@link LeadershipGrantedEvent} and {@link LeadershipRevokedEvent}.
 */
public class EtcdLeadership implements SmartApplicationListener, ApplicationContextAware, AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(EtcdLeadership.class);

	private static final ThreadLocal<LeadershipTerm> CURRENT = new ThreadLocal<>();

	private final String electionName;

	private final Supplier<EtcdLeaderElection> electionFactory;

	private final AtomicLong terms = new AtomicLong();

	private final AtomicLong finishedTermNanos = new AtomicLong();

	private volatile EtcdLeaderElection election;

	private ApplicationContext applicationContext;

	/**
	 * @param election the election, {@code <prefix>/<name>}
	 * @param electionFactory makes the election once the application is ready, given the listener
	 * that publishes this bean's events
	 */
	public EtcdLeadership(String election, Function<LeadershipListener, EtcdLeaderElection> electionFactory) {
		this.electionName = election;
		this.electionFactory = () -> electionFactory.apply(new EventPublishingListener());
	}

	/**
	 * @return the term under which the current {@code @EtcdLeaderOnly} method runs
	 * @throws IllegalStateException outside an {@code @EtcdLeaderOnly} method
	 */
	public static LeadershipTerm current() {
		LeadershipTerm term = CURRENT.get();
		if (term == null) {
			throw new IllegalStateException("No leadership term here: call EtcdLeadership.current() inside an "
					+ "@EtcdLeaderOnly method, or use the EtcdLeadership bean's term()");
		}
		return term;
	}

	static void runningUnder(LeadershipTerm term) {
		CURRENT.set(term);
	}

	static void finished() {
		CURRENT.remove();
	}

	/** @return whether this instance leads now */
	public boolean isLeader() {
		EtcdLeaderElection current = this.election;
		return current != null && current.isLeader();
	}

	/** @return the current term when this instance leads, else null */
	public LeadershipTerm term() {
		EtcdLeaderElection current = this.election;
		return (current != null) ? current.term() : null;
	}

	/** @return the leader's candidate id as this instance sees it (for every instance), or null */
	public String leader() {
		EtcdLeaderElection current = this.election;
		return (current != null) ? current.leader() : null;
	}

	/** @return the fencing token of the current term, 0 when this instance does not lead */
	public long token() {
		LeadershipTerm term = term();
		return (term != null) ? term.token() : 0;
	}

	/** @return the election, {@code <prefix>/<name>} */
	public String election() {
		return this.electionName;
	}

	/** @return whether this instance campaigns (from the application's start to its close) */
	public boolean isCampaigning() {
		return this.election != null;
	}

	/** @return this instance's candidate id, once campaigning */
	public String candidateId() {
		EtcdLeaderElection current = this.election;
		return (current != null) ? current.candidateId() : null;
	}

	/** @return how many terms this instance has led */
	public long terms() {
		return this.terms.get();
	}

	/** @return seconds this instance has led, the current term included */
	public double secondsAsLeader() {
		LeadershipTerm term = term();
		long running = (term != null) ? Duration.between(term.since(), Instant.now()).toNanos() : 0;
		return (this.finishedTermNanos.get() + running) / 1e9;
	}

	/**
	 * Gives up leadership (if held) and campaigns again behind the other candidates.
	 * @return completes once this instance's key is gone
	 */
	public CompletableFuture<Void> yieldLeadership() {
		EtcdLeaderElection current = this.election;
		return (current != null) ? current.yieldLeadership() : CompletableFuture.completedFuture(null);
	}

	@Override
	public void setApplicationContext(ApplicationContext applicationContext) {
		this.applicationContext = applicationContext;
	}

	/**
	 * Before the registration's listener: on {@link ContextClosedEvent} leadership passes on at once,
	 * while that listener then waits the gRPC drain delay (the drain concerns calls, not leadership).
	 */
	@Override
	public int getOrder() {
		return Ordered.HIGHEST_PRECEDENCE + 100;
	}

	@Override
	public boolean supportsEventType(Class<? extends ApplicationEvent> eventType) {
		return ApplicationReadyEvent.class.isAssignableFrom(eventType)
				|| ContextClosedEvent.class.isAssignableFrom(eventType);
	}

	@Override
	public void onApplicationEvent(ApplicationEvent event) {
		if (event instanceof ApplicationReadyEvent ready && ready.getApplicationContext() == this.applicationContext
				&& this.election == null) {
			EtcdLeaderElection created = this.electionFactory.get();
			this.election = created;
			logger.info("Campaigning in election {} as {}", created.election(), created.candidateId());
			created.start();
		}
		else if (event instanceof ContextClosedEvent closed && closed.getApplicationContext() == this.applicationContext) {
			close(); // before the lifecycles stop: the next candidate takes over while this one shuts down
		}
	}

	/** Resigns and stops campaigning. */
	@Override
	public void close() {
		EtcdLeaderElection current = this.election;
		if (current != null) {
			current.close();
		}
	}

	/** Turns the election's callbacks into application events and keeps the counts for the meters. */
	private final class EventPublishingListener implements LeadershipListener {

		@Override
		public void granted(LeadershipTerm term) {
			EtcdLeadership.this.terms.incrementAndGet();
			EtcdLeadership.this.applicationContext.publishEvent(new LeadershipGrantedEvent(EtcdLeadership.this, term));
		}

		@Override
		public void revoked(LeadershipTerm term, String reason) {
			EtcdLeadership.this.finishedTermNanos
				.addAndGet(Duration.between(term.since(), Instant.now()).toNanos());
			EtcdLeadership.this.applicationContext
				.publishEvent(new LeadershipRevokedEvent(EtcdLeadership.this, term, reason));
		}

	}

}
