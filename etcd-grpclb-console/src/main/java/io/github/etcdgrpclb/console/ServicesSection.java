package io.github.etcdgrpclb.console;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.stream.Collectors;

import io.github.etcdgrpclb.discovery.ServiceInstance;
import io.github.etcdgrpclb.registry.OperatorOverride;
import io.github.etcdgrpclb.registry.RegistryKey;

/**
 * The services section: one table per service under the registry prefix, a row per instance with its
 * {@code host:port}, etcd weight, metadata and an operator's change; for admins, a form per row to set
 * the weight, drain the instance or undo the change. Fed by the service catalog's watch and the watch
 * of the operators' keys; rendered once both were read.
 */
final class ServicesSection {

	private final LiveSections sections;

	private final String opsPrefix;

	private final HistorySection history;

	private Map<String, List<ServiceInstance>> catalog;

	private Map<String, Map<String, FleetService.OperatorChange>> changes;

	/** @param opsPrefix the operators' key prefix, e.g. {@code /grpclb-ops} */
	ServicesSection(LiveSections sections, String opsPrefix, HistorySection history) {
		this.sections = sections;
		this.opsPrefix = opsPrefix;
		this.history = history;
	}

	Consumer<Map<String, List<ServiceInstance>>> catalogListener() {
		return this::catalogRead;
	}

	Consumer<Map<String, LivePrefix.Entry>> changesListener() {
		return this::changesRead;
	}

	private synchronized void catalogRead(Map<String, List<ServiceInstance>> read) {
		this.catalog = read;
		this.history.record(read);
		render();
	}

	private synchronized void changesRead(Map<String, LivePrefix.Entry> keys) {
		this.changes = changes(keys);
		render();
	}

	private void render() {
		if (this.catalog == null || this.changes == null) {
			return; // "no service" only once both were read
		}
		List<FleetService> services = FleetService.of(this.catalog, this.changes);
		this.sections.update("services", services, html(services, false), html(services, true));
	}

	private Map<String, Map<String, FleetService.OperatorChange>> changes(Map<String, LivePrefix.Entry> keys) {
		Map<String, Map<String, FleetService.OperatorChange>> changes = new TreeMap<>();
		keys.values().forEach((entry) -> {
			RegistryKey instance = RegistryKey.parse(this.opsPrefix, entry.key());
			if (instance == null) {
				return;
			}
			try {
				changes.computeIfAbsent(instance.service(), (service) -> new TreeMap<>())
					.put(instance.address(), new FleetService.OperatorChange(OperatorOverride.parse(entry.value()),
							entry.lease() == 0));
			}
			catch (IllegalArgumentException ex) {
				// Not an override: the instance's registrar ignores it too (and logs it).
			}
		});
		return changes;
	}

	static String html(List<FleetService> services, boolean admin) {
		if (services.isEmpty()) {
			return Html.empty("No service is registered under the registry prefix.");
		}
		return services.stream().map((service) -> service(service, admin)).collect(Collectors.joining());
	}

	private static String service(FleetService service, boolean admin) {
		String rows = service.instances()
			.stream()
			.map((instance) -> "<tr class=\"instance" + (instance.drained() ? " drained" : "") + "\" data-address=\""
					+ Html.escape(instance.address()) + "\">" + Html.cell("address", instance.address())
					+ Html.cell("weight", instance.drained() ? "drained" : String.valueOf(instance.weight()))
					+ Html.cell("metadata", Html.pairs(instance.metadata()))
					+ Html.cell("operator", (instance.change() != null) ? instance.change().describe() : "")
					+ (admin ? "<td class=\"actions\">" + actions(service.name(), instance) + "</td>" : "") + "</tr>")
			.collect(Collectors.joining());
		List<String> headings = admin ? List.of("instance", "weight", "metadata", "operator", "change")
				: List.of("instance", "weight", "metadata", "operator");
		return Html.table("service", service.name(), headings, rows);
	}

	/** One form per instance; the page's script adds the CSRF token when it is sent. */
	private static String actions(String service, FleetService.Instance instance) {
		String weight = (instance.weight() != null) ? instance.weight().toString() : "";
		return "<form class=\"override\" method=\"post\" action=\"actions/override\">"
				+ "<input type=\"hidden\" name=\"service\" value=\"" + Html.escape(service) + "\">"
				+ "<input type=\"hidden\" name=\"address\" value=\"" + Html.escape(instance.address()) + "\">"
				+ "<input type=\"number\" name=\"weight\" min=\"1\" value=\"" + weight + "\" aria-label=\"weight\">"
				+ "<label><input type=\"checkbox\" name=\"pinned\" value=\"true\"> pinned</label> "
				+ "<button name=\"action\" value=\"weight\">Set weight</button>"
				+ (instance.drained() ? "" : "<button name=\"action\" value=\"drain\">Drain</button>")
				+ ((instance.change() != null)
						? "<button name=\"action\" value=\"reset\">" + (instance.drained() ? "Bring back" : "Reset")
								+ "</button>"
						: "")
				+ "</form>";
	}

}
