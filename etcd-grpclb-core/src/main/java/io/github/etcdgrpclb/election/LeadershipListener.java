package io.github.etcdgrpclb.election;

/**
 * Told of this candidate's terms and of who leads. Called on the election's own thread, one call at
 * a time and in order; a slow listener delays the election, so hand long work to another thread.
 */
public interface LeadershipListener {

	/** No-op listener. */
	LeadershipListener NONE = new LeadershipListener() {
	};

	/**
	 * This candidate leads now.
	 * @param term the new term
	 */
	default void granted(LeadershipTerm term) {
	}

	/**
	 * This candidate no longer leads (resigned, closed, lease lost, or its lease could not be confirmed
	 * in time).
	 * @param term the term that ended
	 * @param reason why
	 */
	default void revoked(LeadershipTerm term, String reason) {
	}

	/**
	 * The leader changed, as this candidate observes it.
	 * @param leaderId the leader's candidate id, or null when nobody leads
	 */
	default void leaderChanged(String leaderId) {
	}

}
