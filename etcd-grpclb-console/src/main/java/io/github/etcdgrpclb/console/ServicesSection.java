package io.github.etcdgrpclb.console;

import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Collectors;

import io.github.etcdgrpclb.discovery.ServiceInstance;

/**
 * The services section: one table per service under the registry prefix, a row per instance with its
 * {@code host:port}, etcd weight and metadata. Fed by the service catalog's watch.
 */
final class ServicesSection implements Consumer<Map<String, List<ServiceInstance>>> {

	private final LiveSections sections;

	ServicesSection(LiveSections sections) {
		this.sections = sections;
	}

	@Override
	public void accept(Map<String, List<ServiceInstance>> catalog) {
		List<FleetService> services = FleetService.of(catalog);
		this.sections.update("services", services, html(services));
	}

	static String html(List<FleetService> services) {
		if (services.isEmpty()) {
			return Html.empty("No service is registered under the registry prefix.");
		}
		return services.stream().map(ServicesSection::service).collect(Collectors.joining());
	}

	private static String service(FleetService service) {
		String rows = service.instances()
			.stream()
			.map((instance) -> "<tr class=\"instance\" data-address=\"" + Html.escape(instance.address()) + "\">"
					+ Html.cell("address", instance.address()) + Html.cell("weight", Integer.toString(instance.weight()))
					+ Html.cell("metadata", Html.pairs(instance.metadata())) + "</tr>")
			.collect(Collectors.joining());
		return Html.table("service", service.name(), List.of("instance", "weight", "metadata"), rows);
	}

}
