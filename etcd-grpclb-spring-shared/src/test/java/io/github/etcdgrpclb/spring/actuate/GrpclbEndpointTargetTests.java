package io.github.etcdgrpclb.spring.actuate;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

import io.github.etcdgrpclb.balancer.WeightBalancers;
import io.github.etcdgrpclb.discovery.ResolvedTarget;
import io.github.etcdgrpclb.discovery.ServiceInstance;
import io.grpc.ConnectivityState;
import org.junit.jupiter.api.Test;

/**
 * The endpoint's view of one resolved target: the resolver hands instances over in etcd's order of
 * arrival (cheapest for 10,000 of them); people read them sorted, with the balancer's state beside.
 */
class GrpclbEndpointTargetTests {

	@Test
	void instancesShouldBeShownInKeyOrderWithTheBalancersStateAndPicks() {
		ResolvedTarget resolved = new ResolvedTarget("orders", "orders", "/grpclb/orders/", ResolvedTarget.State.WATCHING,
				List.of(instance("10.0.0.9:9000", 2), instance("10.0.0.10:9000", 1), instance("10.0.0.1:9000", 3)),
				Instant.now());
		LongAdder picks = new LongAdder();
		picks.add(7);
		WeightBalancers.Snapshot balancer = new WeightBalancers.Snapshot("etcd:///orders", ConnectivityState.READY,
				List.of(new WeightBalancers.Backend("10.0.0.10:9000", 1, ConnectivityState.READY, picks)));

		GrpclbEndpoint.Target target = GrpclbEndpoint.Target.of("etcd", resolved, Map.of("orders", balancer));

		assertThat(target.target()).isEqualTo("etcd:///orders");
		assertThat(target.state()).isEqualTo("WATCHING");
		assertThat(target.balancerState()).isEqualTo("READY");
		// Key order, as etcdctl get --prefix lists them (':' sorts after '0').
		assertThat(target.instances()).extracting(GrpclbEndpoint.Instance::address)
			.containsExactly("10.0.0.10:9000", "10.0.0.1:9000", "10.0.0.9:9000");
		assertThat(target.instances().get(0)).isEqualTo(new GrpclbEndpoint.Instance("10.0.0.10:9000", 1, "READY", 7L));
		assertThat(target.instances().get(1)).isEqualTo(new GrpclbEndpoint.Instance("10.0.0.1:9000", 3, null, null));
	}

	private static ServiceInstance instance(String address, int weight) {
		int colon = address.lastIndexOf(':');
		return new ServiceInstance("/grpclb/orders/" + address, address, InetSocketAddress
			.createUnresolved(address.substring(0, colon), Integer.parseInt(address.substring(colon + 1))), weight);
	}

}
