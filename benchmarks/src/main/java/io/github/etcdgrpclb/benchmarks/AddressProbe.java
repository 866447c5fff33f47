package io.github.etcdgrpclb.benchmarks;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.stream.Collectors;

import io.grpc.ConnectivityState;
import io.grpc.EquivalentAddressGroup;
import io.grpc.LoadBalancer;
import io.grpc.LoadBalancerProvider;
import io.grpc.LoadBalancerRegistry;
import io.grpc.Status;

/**
 * A load-balancing policy that connects nowhere and reports each address list a channel receives:
 * the measuring point "the channel's address list was updated", without opening connections to
 * thousands of addresses.
 */
final class AddressProbe extends LoadBalancerProvider {

	static final String POLICY = "address_probe";

	private static volatile Consumer<Set<String>> sink = (addresses) -> {
	};

	static final AtomicLong updates = new AtomicLong();

	static void install(Consumer<Set<String>> consumer) {
		sink = consumer;
		LoadBalancerRegistry.getDefaultRegistry().register(new AddressProbe());
	}

	@Override
	public boolean isAvailable() {
		return true;
	}

	@Override
	public int getPriority() {
		return 5;
	}

	@Override
	public String getPolicyName() {
		return POLICY;
	}

	@Override
	public LoadBalancer newLoadBalancer(LoadBalancer.Helper helper) {
		return new LoadBalancer() {

			@Override
			public Status acceptResolvedAddresses(ResolvedAddresses resolved) {
				updates.incrementAndGet();
				List<EquivalentAddressGroup> groups = resolved.getAddresses();
				sink.accept(groups.stream()
					.map((group) -> ((InetSocketAddress) group.getAddresses().get(0)).getPort() + "")
					.collect(Collectors.toCollection(ConcurrentHashMap::newKeySet)));
				helper.updateBalancingState(ConnectivityState.CONNECTING, new SubchannelPicker() {

					@Override
					public PickResult pickSubchannel(PickSubchannelArgs args) {
						return PickResult.withNoResult();
					}

				});
				return Status.OK;
			}

			@Override
			public void handleNameResolutionError(Status error) {
			}

			@Override
			public void shutdown() {
			}

		};
	}

}
