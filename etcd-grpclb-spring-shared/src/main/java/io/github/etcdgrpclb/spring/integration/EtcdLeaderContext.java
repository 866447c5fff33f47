package io.github.etcdgrpclb.spring.integration;

import io.github.etcdgrpclb.election.EtcdLeaderElection;
import io.github.etcdgrpclb.election.LeadershipTerm;

import org.springframework.integration.leader.Context;

/**
 * A Spring Integration candidate's view of its etcd election: whether it leads now (a valid term, not
 * only the last event), its term (fencing token, etcd condition of leadership), and a way to yield.
 */
public final class EtcdLeaderContext implements Context {

	private final EtcdLeaderElection election;

	private final String role;

	EtcdLeaderContext(EtcdLeaderElection election, String role) {
		this.election = election;
		this.role = role;
	}

	@Override
	public boolean isLeader() {
		return this.election != null && this.election.isLeader();
	}

	/** Gives up leadership and campaigns again at the back of the queue. */
	@Override
	public void yield() {
		if (this.election != null) {
			this.election.yieldLeadership();
		}
	}

	@Override
	public String getRole() {
		return this.role;
	}

	/** @return the current term (its {@link LeadershipTerm#token()} fences writes), or null when not leading */
	public LeadershipTerm term() {
		return (this.election != null) ? this.election.term() : null;
	}

	@Override
	public String toString() {
		return "EtcdLeaderContext[role=" + this.role + ", leader=" + isLeader() + "]";
	}

}
