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
 * @param lastError the last failure, or {@code null}
 */
public record RegistrationStatus(ServiceRegistration registration, RegistrationState state, long leaseId,
		Duration ttl, Instant lastKeepAlive, long reRegistrations, String lastError) {

	RegistrationStatus with(RegistrationState newState, long newLeaseId) {
		return new RegistrationStatus(this.registration, newState, newLeaseId, this.ttl, this.lastKeepAlive,
				this.reRegistrations, this.lastError);
	}

	RegistrationStatus keptAlive(Instant when) {
		return new RegistrationStatus(this.registration, this.state, this.leaseId, this.ttl, when, this.reRegistrations,
				this.lastError);
	}

}
