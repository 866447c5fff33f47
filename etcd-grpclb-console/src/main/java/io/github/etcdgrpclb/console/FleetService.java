package io.github.etcdgrpclb.console;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.github.etcdgrpclb.discovery.ServiceInstance;
import io.github.etcdgrpclb.registry.OperatorOverride;

/**
 * One service as the console shows it: its instances with their address, etcd weight, metadata and
 * an operator's change, drained instances (no key in the registry) included.
 *
 * @param name the service name (the key segment after the registry prefix)
 * @param instances its instances, in address order
 */
record FleetService(String name, List<Instance> instances) {

	/**
	 * @param catalog the registered instances per service
	 * @param changes operators' changes per service and address
	 * @return the services, in name order
	 */
	static List<FleetService> of(Map<String, List<ServiceInstance>> catalog,
			Map<String, Map<String, OperatorChange>> changes) {
		Map<String, Map<String, Instance>> services = new TreeMap<>();
		catalog.forEach((service, instances) -> instances.forEach((instance) -> services
			.computeIfAbsent(service, (name) -> new TreeMap<>())
			.put(instance.address(), new Instance(instance.address(), instance.weight(), instance.metadata().values(),
					changes.getOrDefault(service, Map.of()).get(instance.address())))));
		changes.forEach((service, byAddress) -> byAddress.forEach((address, change) -> {
			if (change.override().drained()) { // withdrawn from the registry: shown from its change alone
				services.computeIfAbsent(service, (name) -> new TreeMap<>())
					.putIfAbsent(address, new Instance(address, null, Map.of(), change));
			}
		}));
		return services.entrySet()
			.stream()
			.map((service) -> new FleetService(service.getKey(), List.copyOf(service.getValue().values())))
			.toList();
	}

	/**
	 * @param address {@code host:port}, as in the etcd key
	 * @param weight the weight in etcd, null while drained (no key)
	 * @param metadata zone, version, tags and the rest, as the instance published them
	 * @param change an operator's change in force, or null
	 */
	record Instance(String address, Integer weight, Map<String, String> metadata, OperatorChange change) {

		boolean drained() {
			return this.change != null && this.change.override().drained();
		}

	}

	/**
	 * An operator's key as the console read it.
	 * @param override what it asks for
	 * @param pinned whether it has no lease (outlives restarts of the instance)
	 */
	record OperatorChange(OperatorOverride override, boolean pinned) {

		String describe() {
			return this.override.describe() + (this.pinned ? ", pinned" : "");
		}

	}

}
