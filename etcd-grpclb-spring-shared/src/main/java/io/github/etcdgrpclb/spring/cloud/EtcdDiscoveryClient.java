package io.github.etcdgrpclb.spring.cloud;

import java.time.Duration;
import java.util.List;

import io.github.etcdgrpclb.discovery.ServiceCatalog;

import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.discovery.DiscoveryClient;

/**
 * Spring Cloud's {@link DiscoveryClient} over the etcd registry: every service under the registry
 * prefix, each registration an instance. Answers from the {@link ServiceCatalog}'s watch, never from a
 * read per call; a change publishes a {@code HeartbeatEvent} (see {@link CatalogHeartbeats}), so
 * clients that cache instances refresh at once.
 */
public class EtcdDiscoveryClient implements DiscoveryClient {

	private final ServiceCatalog catalog;

	private final Duration firstListTimeout;

	/**
	 * @param catalog the watched registry
	 * @param firstListTimeout how long a call made before etcd was first listed waits for that list
	 * (rather than answering "no instances" for a service that has some)
	 */
	public EtcdDiscoveryClient(ServiceCatalog catalog, Duration firstListTimeout) {
		this.catalog = catalog;
		this.firstListTimeout = firstListTimeout;
	}

	@Override
	public String description() {
		return "etcd registry (etcd-grpclb)";
	}

	@Override
	public List<ServiceInstance> getInstances(String serviceId) {
		this.catalog.awaitSynced(this.firstListTimeout);
		return this.catalog.services()
			.getOrDefault(serviceId, List.of())
			.stream()
			.map((instance) -> CloudServiceInstances.of(serviceId, instance))
			.toList();
	}

	@Override
	public List<String> getServices() {
		this.catalog.awaitSynced(this.firstListTimeout);
		return List.copyOf(this.catalog.services().keySet());
	}

}
