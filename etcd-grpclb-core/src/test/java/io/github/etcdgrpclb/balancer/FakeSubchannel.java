package io.github.etcdgrpclb.balancer;

import java.util.List;

import io.grpc.Attributes;
import io.grpc.EquivalentAddressGroup;
import io.grpc.LoadBalancer.Subchannel;
import io.grpc.LoadBalancer.SubchannelStateListener;

/** A subchannel whose state the test pushes through the listener the balancer started it with. */
final class FakeSubchannel extends Subchannel {

	final List<EquivalentAddressGroup> addresses;

	SubchannelStateListener listener;

	int connectionRequests;

	boolean shutdown;

	FakeSubchannel(List<EquivalentAddressGroup> addresses) {
		this.addresses = addresses;
	}

	@Override
	public void start(SubchannelStateListener listener) {
		this.listener = listener;
	}

	@Override
	public void requestConnection() {
		this.connectionRequests++;
	}

	@Override
	public void shutdown() {
		this.shutdown = true;
	}

	@Override
	public List<EquivalentAddressGroup> getAllAddresses() {
		return this.addresses;
	}

	@Override
	public Attributes getAttributes() {
		return Attributes.EMPTY;
	}

}
