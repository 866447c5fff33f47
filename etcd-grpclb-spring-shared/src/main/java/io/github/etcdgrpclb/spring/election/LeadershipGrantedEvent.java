package io.github.etcdgrpclb.spring.election;

import io.github.etcdgrpclb.election.LeadershipTerm;

import org.springframework.context.ApplicationEvent;

/** This instance leads its election now. Published on the election's thread. */
public class LeadershipGrantedEvent extends ApplicationEvent {

	private static final long serialVersionUID = 1L;

	private final transient LeadershipTerm term;

	/**
	 * @param source the leadership
	 * @param term the new term
	 */
	public LeadershipGrantedEvent(EtcdLeadership source, LeadershipTerm term) {
		super(source);
		this.term = term;
	}

	/** @return the new term (token, since, validity) */
	public LeadershipTerm getTerm() {
		return this.term;
	}

}
