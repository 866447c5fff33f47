package io.github.etcdgrpclb.registry;

import static io.github.etcdgrpclb.etcd.EtcdBytes.bytes;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.etcd.jetcd.Client;
import io.etcd.jetcd.kv.PutResponse;
import io.etcd.jetcd.lease.LeaseGrantResponse;
import io.etcd.jetcd.lease.LeaseRevokeResponse;
import io.etcd.jetcd.options.PutOption;
import io.github.etcdgrpclb.etcd.LeaseTtl;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The etcd requests of a registration — grant, put on a lease, revoke — each bounded by the request
 * timeout, so that a registrar waiting on an unreachable etcd retries instead of hanging on jetcd's
 * wait-for-ready.
 */
final class LeaseRequests {

	private static final Logger logger = LoggerFactory.getLogger(LeaseRequests.class);

	private final Client client;

	private final Duration timeout;

	LeaseRequests(Client client, Duration timeout) {
		this.client = client;
		this.timeout = timeout;
	}

	CompletableFuture<LeaseGrantResponse> grant(Duration ttl) {
		return timed(this.client.getLeaseClient().grant(LeaseTtl.seconds(ttl)));
	}

	CompletableFuture<PutResponse> put(RegistryEntry registration, long lease) {
		return timed(this.client.getKVClient()
			.put(bytes(registration.key()), bytes(registration.value()),
					PutOption.builder().withLeaseId(lease).build()));
	}

	CompletableFuture<LeaseRevokeResponse> revoke(long lease) {
		return timed(this.client.getLeaseClient().revoke(lease));
	}

	/** Revokes a lease nobody uses any more; a failure only means it expires after its TTL. */
	void revokeQuietly(long lease) {
		revoke(lease).whenComplete((response, error) -> {
			if (error != null) {
				logger.debug("Could not revoke abandoned lease {}: {}", Long.toHexString(lease), error.toString());
			}
		});
	}

	private <T> CompletableFuture<T> timed(CompletableFuture<T> future) {
		return future.orTimeout(this.timeout.toMillis(), TimeUnit.MILLISECONDS);
	}

}
