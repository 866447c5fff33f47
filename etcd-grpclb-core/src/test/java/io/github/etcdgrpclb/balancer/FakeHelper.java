package io.github.etcdgrpclb.balancer;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;

import io.grpc.ConnectivityState;
import io.grpc.EquivalentAddressGroup;
import io.grpc.LoadBalancer;
import io.grpc.LoadBalancer.CreateSubchannelArgs;
import io.grpc.LoadBalancer.Subchannel;
import io.grpc.LoadBalancer.SubchannelPicker;
import io.grpc.ManagedChannel;
import io.grpc.SynchronizationContext;

/**
 * A channel as a balancer sees it, in the style of grpc-java's balancer tests: records the balancer's
 * requests; its subchannels are fakes whose states the test pushes; its timer is the test's.
 */
final class FakeHelper extends LoadBalancer.Helper {

	final List<FakeSubchannel> subchannels = new ArrayList<>();

	final List<Map.Entry<ConnectivityState, SubchannelPicker>> updates = new ArrayList<>();

	private final SynchronizationContext syncContext;

	private final ScheduledExecutorService timer;

	FakeHelper(SynchronizationContext syncContext, ScheduledExecutorService timer) {
		this.syncContext = syncContext;
		this.timer = timer;
	}

	@Override
	public Subchannel createSubchannel(CreateSubchannelArgs args) {
		FakeSubchannel subchannel = new FakeSubchannel(args.getAddresses());
		this.subchannels.add(subchannel);
		return subchannel;
	}

	@Override
	public void updateBalancingState(ConnectivityState newState, SubchannelPicker newPicker) {
		this.updates.add(Map.entry(newState, newPicker));
	}

	@Override
	public SynchronizationContext getSynchronizationContext() {
		return this.syncContext;
	}

	@Override
	public ScheduledExecutorService getScheduledExecutorService() {
		return this.timer;
	}

	@Override
	public String getAuthority() {
		return "orders";
	}

	@Override
	public ManagedChannel createOobChannel(EquivalentAddressGroup eag, String authority) {
		throw new UnsupportedOperationException();
	}

	ConnectivityState lastState() {
		return this.updates.get(this.updates.size() - 1).getKey();
	}

	SubchannelPicker lastPicker() {
		return this.updates.get(this.updates.size() - 1).getValue();
	}

}
