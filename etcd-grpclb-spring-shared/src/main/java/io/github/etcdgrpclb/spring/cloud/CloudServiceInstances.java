package io.github.etcdgrpclb.spring.cloud;

import java.util.LinkedHashMap;
import java.util.Map;

import io.github.etcdgrpclb.discovery.ServiceInstance;
import io.github.etcdgrpclb.etcd.InstanceMetadata;

import org.springframework.cloud.client.DefaultServiceInstance;

/**
 * Our registrations as Spring Cloud sees instances: host and port from the key, the server's
 * metadata as it registered it, plus its etcd weight and the port under the metadata key that
 * net.devh's {@code discovery:///} channels read for the gRPC port.
 */
final class CloudServiceInstances {

	/** The metadata key net.devh's discovery resolver takes the gRPC port from. */
	static final String GRPC_PORT = "gRPC_port";

	/** The instance's weight in etcd, for load balancers that weigh. */
	static final String WEIGHT = "weight";

	/** A registration whose metadata says {@code secure=true} is reached over TLS. */
	static final String SECURE = "secure";

	private CloudServiceInstances() {
	}

	static org.springframework.cloud.client.ServiceInstance of(String serviceId, ServiceInstance instance) {
		Map<String, String> metadata = metadata(instance.metadata(), instance.weight(), instance.socketAddress().getPort());
		return new DefaultServiceInstance(serviceId + "@" + instance.address(), serviceId,
				instance.socketAddress().getHostString(), instance.socketAddress().getPort(),
				Boolean.parseBoolean(metadata.get(SECURE)), metadata);
	}

	/**
	 * @return what a registration says of itself, as Spring Cloud shows it: its metadata, its etcd weight,
	 * and the gRPC port (its own port unless its metadata names another, as an HTTP registration's does)
	 */
	static Map<String, String> metadata(InstanceMetadata published, int weight, int port) {
		Map<String, String> metadata = new LinkedHashMap<>(published.values());
		metadata.put(WEIGHT, Integer.toString(weight));
		metadata.putIfAbsent(GRPC_PORT, Integer.toString(port));
		return metadata;
	}

}
