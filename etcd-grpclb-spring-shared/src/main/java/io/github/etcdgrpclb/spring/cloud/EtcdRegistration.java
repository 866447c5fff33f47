package io.github.etcdgrpclb.spring.cloud;

import java.net.URI;
import java.util.List;
import java.util.Map;

import io.github.etcdgrpclb.registry.RegistrationStatus;
import io.github.etcdgrpclb.registry.RegistryEntry;
import io.github.etcdgrpclb.registry.ServerRegistry;

import org.springframework.cloud.client.serviceregistry.Registration;

/**
 * This application's gRPC server as Spring Cloud's {@link Registration}: the service name, the
 * advertised host and the bound port it is registered with in etcd (read when asked: the port is
 * known once the server started), and the metadata Spring Cloud's DiscoveryClient shows for it.
 */
public class EtcdRegistration implements Registration {

	private final ServerRegistry registry;

	/** @param registry the application's registrations */
	public EtcdRegistration(ServerRegistry registry) {
		this.registry = registry;
	}

	@Override
	public String getInstanceId() {
		RegistryEntry entry = entry();
		return getServiceId() + "@" + ((entry != null) ? entry.address() : "(not started)");
	}

	@Override
	public String getServiceId() {
		return this.registry.serviceName().orElse(null);
	}

	@Override
	public String getHost() {
		RegistryEntry entry = entry();
		return (entry != null) ? entry.host() : null;
	}

	@Override
	public int getPort() {
		RegistryEntry entry = entry();
		return (entry != null) ? entry.port() : -1;
	}

	@Override
	public boolean isSecure() {
		return Boolean.parseBoolean(getMetadata().get(CloudServiceInstances.SECURE));
	}

	@Override
	public URI getUri() {
		RegistryEntry entry = entry();
		return (entry != null) ? URI.create((isSecure() ? "https" : "http") + "://" + entry.address()) : null;
	}

	@Override
	public Map<String, String> getMetadata() {
		RegistryEntry entry = entry();
		if (entry == null) {
			return Map.of();
		}
		return CloudServiceInstances.metadata(entry.metadata(), entry.weight(), entry.port());
	}

	/** @return the registrations behind this one (one per gRPC server port) */
	List<RegistrationStatus> statuses() {
		return this.registry.statuses();
	}

	private RegistryEntry entry() {
		List<RegistrationStatus> statuses = this.registry.statuses();
		return statuses.isEmpty() ? null : statuses.get(0).registration();
	}

	@Override
	public String toString() {
		return "EtcdRegistration[" + getInstanceId() + "]";
	}

}
