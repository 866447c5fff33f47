package io.github.etcdgrpclb.spring.election;

import io.github.etcdgrpclb.election.LeadershipTerm;

import org.springframework.context.ApplicationEvent;

/** This instance no longer leads its election. Published on the election's thread. */
public class LeadershipRevokedEvent extends ApplicationEvent {

	private static final long serialVersionUID = 1L;

	private final transient LeadershipTerm term;

	private final String reason;

	/**
	 * @param source the leadership
	 * @param term the term that ended
	 * @param reason why (resigned, closed, lease lost, lease not confirmed in time)
	 */
	public LeadershipRevokedEvent(EtcdLeadership source, LeadershipTerm term, String reason) {
		super(source);
		this.term = term;
		this.reason = reason;
	}

	/** @return the term that ended */
	public LeadershipTerm getTerm() {
		return this.term;
	}

	/** @return why it ended */
	public String getReason() {
		return this.reason;
	}

}
