package io.github.etcdgrpclb.spring.actuate;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.github.etcdgrpclb.balancer.AddressMeters;
import io.github.etcdgrpclb.balancer.WeightBalancers;
import io.github.etcdgrpclb.discovery.ResolvedTarget;
import io.github.etcdgrpclb.discovery.ServiceInstance;
import io.github.etcdgrpclb.etcd.InstanceMetadata;
import io.grpc.ConnectivityState;
import org.junit.jupiter.api.Test;

/**
 * The endpoint's view of one resolved target: the resolver hands instances over in etcd's order of
 * arrival (cheapest for 10,000 of them); people read them sorted, with the balancer's state beside.
 */
class GrpclbEndpointTargetTests {

	@Test
	void instancesShouldBeShownInKeyOrderWithTheBalancersStatePicksAndHealth() {
		ResolvedTarget resolved = new ResolvedTarget("orders", "orders", "/grpclb/orders/", ResolvedTarget.State.WATCHING,
				List.of(instance("10.0.0.9:9000", 2), instance("10.0.0.10:9000", 1), zoned(instance("10.0.0.1:9000", 3), "a")),
				Instant.now());
		Instant ejectedUntil = Instant.parse("2026-12-03T12:00:05Z");
		WeightBalancers.Snapshot balancer = new WeightBalancers.Snapshot("etcd:///orders", ConnectivityState.READY,
				List.of(new WeightBalancers.Backend("10.0.0.10:9000", 1, ConnectivityState.READY, new AddressMeters(), 0,
						"ejected: 50% of 120 calls failed (the rest: 0%)", ejectedUntil),
						new WeightBalancers.Backend("10.0.0.9:9000", 2, ConnectivityState.READY, new AddressMeters(),
								0.1234567, "slowed to 6%: latency 41.0 ms vs fleet 0.9 ms", null)));

		GrpclbEndpoint.Target target = GrpclbEndpoint.Target.of("etcd", resolved, Map.of("orders", balancer));

		assertThat(target.target()).isEqualTo("etcd:///orders");
		assertThat(target.state()).isEqualTo("WATCHING");
		assertThat(target.balancerState()).isEqualTo("READY");
		// Key order, as etcdctl get --prefix lists them (':' sorts after '0').
		assertThat(target.instances()).extracting(GrpclbEndpoint.Instance::address)
			.containsExactly("10.0.0.10:9000", "10.0.0.1:9000", "10.0.0.9:9000");
		assertThat(target.instances().get(0)).isEqualTo(new GrpclbEndpoint.Instance("10.0.0.10:9000", 1, Map.of(), "READY", 0L, 0.0,
				"ejected: 50% of 120 calls failed (the rest: 0%)", ejectedUntil));
		assertThat(target.instances().get(1)).isEqualTo(new GrpclbEndpoint.Instance("10.0.0.1:9000", 3, Map.of("zone", "a"), null,
				null, null, null, null));
		assertThat(target.instances().get(2)).isEqualTo(new GrpclbEndpoint.Instance("10.0.0.9:9000", 2, Map.of(), "READY", 0L, 0.123,
				"slowed to 6%: latency 41.0 ms vs fleet 0.9 ms", null));
	}

	private static ServiceInstance zoned(ServiceInstance instance, String zone) {
		return new ServiceInstance(instance.key(), instance.address(), instance.socketAddress(), instance.weight(),
				new InstanceMetadata(Map.of("zone", zone)));
	}

	private static ServiceInstance instance(String address, int weight) {
		int colon = address.lastIndexOf(':');
		return new ServiceInstance("/grpclb/orders/" + address, address, InetSocketAddress
			.createUnresolved(address.substring(0, colon), Integer.parseInt(address.substring(colon + 1))), weight);
	}

}
