package io.github.etcdgrpclb.spring.cloud;

import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

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

	private final ServiceCatalog httpCatalog;

	private final Duration firstListTimeout;

	/**
	 * @param catalog the watched registry
	 * @param firstListTimeout how long a call made before etcd was first listed waits for that list
	 * (rather than answering "no instances" for a service that has some)
	 */
	public EtcdDiscoveryClient(ServiceCatalog catalog, Duration firstListTimeout) {
		this(catalog, null, firstListTimeout);
	}

	/**
	 * @param catalog the watched registry of gRPC servers
	 * @param httpCatalog the watched HTTP registrations ({@code etcd.registry.http.prefix}), or null
	 * @param firstListTimeout see {@link #EtcdDiscoveryClient(ServiceCatalog, Duration)}
	 */
	public EtcdDiscoveryClient(ServiceCatalog catalog, ServiceCatalog httpCatalog, Duration firstListTimeout) {
		this.catalog = catalog;
		this.httpCatalog = httpCatalog;
		this.firstListTimeout = firstListTimeout;
	}

	@Override
	public String description() {
		return "etcd registry (etcd-grpclb)";
	}

	/**
	 * @return the service's HTTP instances when it registered some (their metadata holds the gRPC port,
	 * as Consul's and Eureka's do), else its gRPC servers
	 */
	@Override
	public List<ServiceInstance> getInstances(String serviceId) {
		awaitSynced();
		List<io.github.etcdgrpclb.discovery.ServiceInstance> http = (this.httpCatalog != null)
				? this.httpCatalog.services().getOrDefault(serviceId, List.of()) : List.of();
		List<io.github.etcdgrpclb.discovery.ServiceInstance> instances = !http.isEmpty() ? http
				: this.catalog.services().getOrDefault(serviceId, List.of());
		return instances.stream().map((instance) -> CloudServiceInstances.of(serviceId, instance)).toList();
	}

	@Override
	public List<String> getServices() {
		awaitSynced();
		Set<String> services = new LinkedHashSet<>(this.catalog.services().keySet());
		if (this.httpCatalog != null) {
			services.addAll(this.httpCatalog.services().keySet());
		}
		return List.copyOf(services);
	}

	/** @return whether every watched prefix was listed: answers need not wait */
	boolean isSynced() {
		return this.catalog.isSynced() && (this.httpCatalog == null || this.httpCatalog.isSynced());
	}

	private void awaitSynced() {
		this.catalog.awaitSynced(this.firstListTimeout);
		if (this.httpCatalog != null) {
			this.httpCatalog.awaitSynced(this.firstListTimeout);
		}
	}

}
