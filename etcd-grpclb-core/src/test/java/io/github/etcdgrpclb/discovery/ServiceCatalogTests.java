package io.github.etcdgrpclb.discovery;

import static io.github.etcdgrpclb.support.EtcdData.delete;
import static io.github.etcdgrpclb.support.EtcdData.events;
import static io.github.etcdgrpclb.support.EtcdData.kv;
import static io.github.etcdgrpclb.support.EtcdData.listed;
import static io.github.etcdgrpclb.support.EtcdData.put;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import io.github.etcdgrpclb.support.FakePrefixSource;
import io.github.etcdgrpclb.support.FakeTimer;
import org.junit.jupiter.api.Test;

/**
 * {@link ServiceCatalog} without an etcd: a fake etcd answers its two watches (keys and metadata) when
 * the test says, and each test checks the snapshots the listener was given, in order.
 */
class ServiceCatalogTests {

	private static final String KEYS = "/grpclb/";

	private static final String META = "/grpclb-meta/";

	private final FakePrefixSource etcd = new FakePrefixSource();

	private final FakeTimer timer = new FakeTimer();

	private final List<Map<String, List<String>>> told = new ArrayList<>();

	private final ServiceCatalog catalog = new ServiceCatalog(this.etcd, EtcdResolverSettings.DEFAULT, this.timer,
			(services) -> this.told.add(view(services)));

	@Test
	void listShouldGroupInstancesByServiceWithWeightsAndMetadataAndSkipMalformedKeys() {
		this.catalog.start();
		this.etcd.lastList(META).complete(listed(9, kv(META + "orders/10.0.0.2:9001", "{\"zone\":\"b\"}", 8)));
		this.etcd.lastList(KEYS).complete(listed(9, kv(KEYS + "orders/10.0.0.2:9001", "3", 5),
				kv(KEYS + "orders/10.0.0.1:9001", "not a number", 6), kv(KEYS + "billing/10.0.0.3:7000", "1", 7),
				kv(KEYS + "orders/no-port", "1", 7), kv(KEYS + "stray", "1", 7)));

		assertThat(this.catalog.isSynced()).isTrue();
		assertThat(this.told).containsExactly(Map.of("billing", List.of("10.0.0.3:7000 w1 {}"), "orders",
				List.of("10.0.0.1:9001 w1 {}", "10.0.0.2:9001 w3 {zone=b}")));
		assertThat(this.catalog.services().keySet()).as("in name order").containsExactly("billing", "orders");
		assertThat(this.catalog.stats().malformedEntries()).as("the key without a port, the key without a service")
			.isEqualTo(2);
	}

	@Test
	void eventsShouldAddAndRemoveInstancesAndServices() {
		this.catalog.start();
		this.etcd.lastList(META).complete(listed(9));
		this.etcd.lastList(KEYS).complete(listed(9, kv(KEYS + "orders/10.0.0.1:9001", "1", 5)));

		this.etcd.lastWatch(KEYS).send(events(put(KEYS + "billing/10.0.0.3:7000", "2", 10)));
		this.etcd.lastWatch(META).send(events(put(META + "billing/10.0.0.3:7000", "{\"tags\":\"canary\"}", 11)));
		this.etcd.lastWatch(KEYS).send(events(delete(KEYS + "orders/10.0.0.1:9001", 12)));

		assertThat(this.told).containsExactly(Map.of("orders", List.of("10.0.0.1:9001 w1 {}")),
				Map.of("billing", List.of("10.0.0.3:7000 w2 {}"), "orders", List.of("10.0.0.1:9001 w1 {}")),
				Map.of("billing", List.of("10.0.0.3:7000 w2 {tags=canary}"), "orders", List.of("10.0.0.1:9001 w1 {}")),
				Map.of("billing", List.of("10.0.0.3:7000 w2 {tags=canary}")));
	}

	@Test
	void etcdAwayShouldKeepTheCatalogAndTellNothing() {
		this.catalog.start();
		this.etcd.lastList(META).complete(listed(9));
		this.etcd.lastList(KEYS).complete(listed(9, kv(KEYS + "orders/10.0.0.1:9001", "1", 5)));

		this.etcd.lastWatch(KEYS).fail(new IllegalStateException("etcd restarted"));
		this.timer.forward(Duration.ofMillis(300));
		this.etcd.lastList(KEYS).completeExceptionally(new IllegalStateException("connection refused"));

		assertThat(this.told).hasSize(1);
		assertThat(this.catalog.services()).containsOnlyKeys("orders");
		assertThat(this.catalog.stats().errors()).isEqualTo(2);
	}

	private static Map<String, List<String>> view(Map<String, List<ServiceInstance>> services) {
		return services.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, (entry) -> entry.getValue()
			.stream()
			.map((instance) -> instance.address() + " w" + instance.weight() + " " + instance.metadata().values())
			.toList()));
	}

}
