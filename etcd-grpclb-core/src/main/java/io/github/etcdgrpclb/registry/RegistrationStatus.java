package io.github.etcdgrpclb.registry;

import java.time.Duration;
import java.time.Instant;

/**
 * An immutable snapshot of a registration, for the actuator endpoint, health and metrics.
 *
 * @param registration what is (or is to be) published
 * @param state the state
 * @param leaseId the current lease, 0 when none
 * @param ttl the lease TTL
 * @param lastKeepAlive when etcd last confirmed the lease, or {@code null}
 * @param reRegistrations how many times the registration was lost and made again
 * @param lastError the last failure, or {@code null}; it stays after recovery, dated by {@code lastErrorAt}
 * @param lastErrorAt when the last failure happened, or {@code null}
 * @param operatorOverride an operator's change in force ({@link OperatorOverride#NONE} when none), already
 * applied to {@code registration}
 */
public record RegistrationStatus(RegistryEntry registration, RegistrationState state, long leaseId,
		Duration ttl, Instant lastKeepAlive, long reRegistrations, String lastError, Instant lastErrorAt,
		OperatorOverride operatorOverride) {

	static RegistrationStatus initial(RegistryEntry registration, Duration ttl) {
		return new RegistrationStatus(registration, RegistrationState.DEREGISTERED, 0, ttl, null, 0, null, null,
				OperatorOverride.NONE);
	}

	RegistrationStatus with(RegistrationState newState, long newLeaseId) {
		return new RegistrationStatus(this.registration, newState, newLeaseId, this.ttl, this.lastKeepAlive,
				this.reRegistrations, this.lastError, this.lastErrorAt, this.operatorOverride);
	}

	RegistrationStatus with(RegistryEntry published, OperatorOverride newOverride) {
		return new RegistrationStatus(published, this.state, this.leaseId, this.ttl, this.lastKeepAlive,
				this.reRegistrations, this.lastError, this.lastErrorAt, newOverride);
	}

	RegistrationStatus keptAlive(Instant when) {
		return new RegistrationStatus(this.registration, this.state, this.leaseId, this.ttl, when, this.reRegistrations,
				this.lastError, this.lastErrorAt, this.operatorOverride);
	}

	/** The lease is gone: re-registering, one more re-registration counted. */
	RegistrationStatus lost(String reason, Instant when) {
		return new RegistrationStatus(this.registration, RegistrationState.RECONNECTING, 0, this.ttl, this.lastKeepAlive,
				this.reRegistrations + 1, reason, when, this.operatorOverride);
	}

	/** An attempt failed: no lease, same state, the reason kept. */
	RegistrationStatus failed(String reason, Instant when) {
		return new RegistrationStatus(this.registration, this.state, 0, this.ttl, this.lastKeepAlive,
				this.reRegistrations, reason, when, this.operatorOverride);
	}

}
