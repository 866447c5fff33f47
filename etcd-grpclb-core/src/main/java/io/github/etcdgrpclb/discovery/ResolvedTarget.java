package io.github.etcdgrpclb.discovery;

import java.time.Instant;
import java.util.List;

/**
 * What a resolver currently knows about its target, for the actuator endpoint.
 *
 * @param serviceName the service
 * @param authority the channel's authority (the service name made a valid host name)
 * @param keyPrefix the watched key prefix
 * @param state whether the resolver runs, and whether it has listed etcd yet
 * @param instances the instances in use (while idle: the last ones known), in the order etcd
 * reported them (not sorted)
 * @param lastUpdate when the address list last changed, or {@code null} before the first list
 */
public record ResolvedTarget(String serviceName, String authority, String keyPrefix, State state,
		List<ServiceInstance> instances, Instant lastUpdate) {

	/** Where a resolver is in its life. */
	public enum State {

		/**
		 * The channel is idle (gRPC stops the resolver of a channel without calls, and makes a new one that
		 * starts on the next call): nothing is watched, the instances are what the target last knew.
		 */
		IDLE,

		/** Started, and etcd has not answered the first list yet. */
		RESOLVING,

		/** The instances come from etcd, kept current by a watch. */
		WATCHING

	}

	ResolvedTarget withState(State newState) {
		return new ResolvedTarget(this.serviceName, this.authority, this.keyPrefix, newState, this.instances,
				this.lastUpdate);
	}

}
