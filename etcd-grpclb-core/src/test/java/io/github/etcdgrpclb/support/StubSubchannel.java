package io.github.etcdgrpclb.support;

import io.grpc.Attributes;
import io.grpc.LoadBalancer.Subchannel;

/** A subchannel that is only ever compared and returned: a picker's maths need nothing else. */
public final class StubSubchannel extends Subchannel {

	@Override
	public void shutdown() {
	}

	@Override
	public void requestConnection() {
	}

	@Override
	public Attributes getAttributes() {
		return Attributes.EMPTY;
	}

}
