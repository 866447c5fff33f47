package io.github.etcdgrpclb.election;

import static io.github.etcdgrpclb.etcd.EtcdBytes.bytes;

import java.time.Instant;

import io.etcd.jetcd.op.Cmp;
import io.etcd.jetcd.op.CmpTarget;
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

	private final String key;

	private final long token;

	private final Instant since;

	private final Deadline.Ticker ticker;

	private volatile long validUntilNanos;

	private volatile boolean ended;

	LeadershipTerm(String election, String candidateId, String key, long token, Instant since, long validUntilNanos,
			Deadline.Ticker ticker) {
		this.election = election;
		this.candidateId = candidateId;
		this.key = key;
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

	/** @return the leader's key in etcd, {@code <prefix>/<name>/<lease-hex>} (Go's {@code Election.Key()}) */
	public String key() {
		return this.key;
	}

	/** @return the fencing token: the create revision of the leader's key (Go's {@code Election.Rev()}) */
	public long token() {
		return this.token;
	}

	/**
	 * A condition for writes to etcd itself: true while this term's key is still there, as created.
	 * {@code txn().If(term.leadership()).Then(...)} is refused by etcd once the term's lease expired or
	 * the candidate resigned, whatever this JVM believes (a pause, a partition): no race between a
	 * check of {@link #isValid()} and the write.
	 * @return {@code create_revision(key) == token}
	 */
	public Cmp leadership() {
		return new Cmp(bytes(this.key), Cmp.Op.EQUAL, CmpTarget.createRevision(this.token));
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
