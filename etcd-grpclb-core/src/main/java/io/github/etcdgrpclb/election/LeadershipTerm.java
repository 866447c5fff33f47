package io.github.etcdgrpclb.election;

import java.time.Instant;

import io.grpc.Deadline;

/**
 * One term of this candidate as leader of an election. Valid while its lease is known to be alive:
 * the term ends no later than the lease could expire on etcd's side, counted from the last keep-alive
 * etcd confirmed (not from when a failure is noticed), minus a safety margin. Writes to other
 * systems should carry the {@link #token()}: it grows with every new leader, so a store can refuse a
 * deposed leader's late write.
 */
public final class LeadershipTerm {

	private final String election;

	private final String candidateId;

	private final long token;

	private final Instant since;

	private final Deadline.Ticker ticker;

	private volatile long validUntilNanos;

	private volatile boolean ended;

	LeadershipTerm(String election, String candidateId, long token, Instant since, long validUntilNanos,
			Deadline.Ticker ticker) {
		this.election = election;
		this.candidateId = candidateId;
		this.token = token;
		this.since = since;
		this.validUntilNanos = validUntilNanos;
		this.ticker = ticker;
	}

	/** @return the election, {@code <prefix>/<name>} */
	public String election() {
		return this.election;
	}

	/** @return this candidate's id, the value of its key */
	public String candidateId() {
		return this.candidateId;
	}

	/** @return the fencing token: the create revision of the leader's key */
	public long token() {
		return this.token;
	}

	/** @return when this term began */
	public Instant since() {
		return this.since;
	}

	/** @return whether this candidate still leads: the term has not ended and its lease is known alive */
	public boolean isValid() {
		return !this.ended && this.ticker.nanoTime() - this.validUntilNanos < 0;
	}

	void extendTo(long validUntilNanos) {
		this.validUntilNanos = validUntilNanos;
	}

	long validUntilNanos() {
		return this.validUntilNanos;
	}

	void end() {
		this.ended = true;
	}

	@Override
	public String toString() {
		return "LeadershipTerm[" + this.election + ", " + this.candidateId + ", token " + this.token + "]";
	}

}
