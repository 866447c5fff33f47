package io.github.etcdgrpclb.console;

import java.util.List;
import java.util.Map;

import io.github.etcdgrpclb.discovery.ServiceInstance;

/**
 * One service as the console shows it: its instances with their address, etcd weight and metadata.
 *
 * @param name the service name (the key segment after the registry prefix)
 * @param instances its registered instances, in address order
 */
record FleetService(String name, List<Instance> instances) {

	static List<FleetService> of(Map<String, List<ServiceInstance>> catalog) {
		return catalog.entrySet()
			.stream()
			.map((service) -> new FleetService(service.getKey(),
					service.getValue().stream().map(Instance::of).toList()))
			.toList();
	}

	/**
	 * @param address {@code host:port}, as in the etcd key
	 * @param weight the weight in etcd
	 * @param metadata zone, version, tags and the rest, as the instance published them
	 */
	record Instance(String address, int weight, Map<String, String> metadata) {

		static Instance of(ServiceInstance instance) {
			return new Instance(instance.address(), instance.weight(), instance.metadata().values());
		}

	}

}
