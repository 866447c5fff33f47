package io.github.etcdgrpclb.benchmarks;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import io.grpc.ConnectivityState;
import io.grpc.EquivalentAddressGroup;
import io.grpc.LoadBalancer;
import io.grpc.LoadBalancerProvider;
import io.grpc.LoadBalancerRegistry;
import io.grpc.Status;

/**
 * A load-balancing policy that connects nowhere and reports each address list a channel receives:
 * the measuring point "the channel's address list was updated", without opening connections to
 * thousands of addresses. It hands the list on as it came: the measuring instrument adds no work
 * of its own to the side it measures.
 */
final class AddressProbe extends LoadBalancerProvider {

	static final String POLICY = "address_probe";

	private static volatile Consumer<List<EquivalentAddressGroup>> sink = (addresses) -> {
	};

	static final AtomicLong updates = new AtomicLong();

	static void install(Consumer<List<EquivalentAddressGroup>> consumer) {
		sink = consumer;
		LoadBalancerRegistry.getDefaultRegistry().register(new AddressProbe());
	}

	/** @return whether the list holds an address with that port */
	static boolean hasPort(List<EquivalentAddressGroup> groups, int port) {
		return groups.stream().anyMatch((group) -> ((InetSocketAddress) group.getAddresses().get(0)).getPort() == port);
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
				sink.accept(resolved.getAddresses());
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
