package io.github.etcdgrpclb.support.nemesis;

/**
 * One fault of a nemesis schedule.
 *
 * @param kind what happens
 * @param target which member or actor (an index, taken modulo what there is)
 * @param millis how long it lasts (a pause, a partition, a member down)
 */
public record Fault(Kind kind, int target, long millis) {

	/** What the nemesis can do. */
	public enum Kind {

		/** kill -9 an etcd member, start it again after the fault's time. */
		KILL_MEMBER(true),

		/** kill -9 the member that leads, start it again. */
		KILL_LEADER(true),

		/** Cut a member off from its peers and clients, heal it. */
		PARTITION_MEMBER(true),

		/** SIGSTOP a member past the election timeout, SIGCONT it. */
		PAUSE_MEMBER(true),

		/** SIGSTOP a registered server's JVM past its lease TTL, SIGCONT it. */
		PAUSE_SERVER(false),

		/** SIGTERM a registered server (it deregisters, drains, stops), start it again on its port. */
		RESTART_SERVER(false),

		/** SIGSTOP a lock contender's JVM past its lease TTL, SIGCONT it. */
		PAUSE_LOCK_CONTENDER(false),

		/** SIGSTOP a leader candidate's JVM past its lease TTL, SIGCONT it. */
		PAUSE_LEADER_CANDIDATE(false),

		/** Compact etcd's history to now and defragment every member (watches must list again). */
		COMPACT_AND_DEFRAGMENT(false);

		private final boolean touchesMembers;

		Kind(boolean touchesMembers) {
			this.touchesMembers = touchesMembers;
		}

		/** @return whether it takes an etcd member away: at most one such fault at a time keeps a quorum */
		public boolean touchesMembers() {
			return this.touchesMembers;
		}

	}

	@Override
	public String toString() {
		return this.kind + "(" + this.target + ", " + this.millis + " ms)";
	}

}
