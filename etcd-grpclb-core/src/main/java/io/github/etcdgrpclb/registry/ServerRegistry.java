package io.github.etcdgrpclb.registry;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * What an application registered in etcd, and the operator's handles on it. The actuator endpoint,
 * the health indicator and the meters depend on this interface only, not on how a framework's
 * server events drive the registrations.
 */
public interface ServerRegistry {

	/** @return a snapshot of each registration of this application (empty before a server started) */
	List<RegistrationStatus> statuses();

	/**
	 * @return the etcd service name this application's servers register under, empty when none is
	 * configured (a client-only application)
	 */
	Optional<String> serviceName();

	/** @return the largest weight {@link #updateWeight} accepts */
	int maxWeight();

	/**
	 * Changes the published weight of every registration, on its current lease.
	 * @param weight the new weight, from 1 to {@link #maxWeight()}
	 * @throws IllegalArgumentException when the weight is out of range
	 */
	void updateWeight(int weight);

	/**
	 * Changes the published metadata (zone, version, tags...) of every registration, on its current
	 * lease; an empty map removes it.
	 * @param metadata the new metadata
	 * @throws IllegalArgumentException when a key is blank
	 */
	void updateMetadata(Map<String, String> metadata);

	/** Deregisters every server now (to drain it before maintenance); {@link #register()} undoes it. */
	void deregister();

	/**
	 * Registers every server again after {@link #deregister()}.
	 * @return completes once every server is registered (it may take as long as etcd is away)
	 */
	CompletableFuture<Void> register();

}
