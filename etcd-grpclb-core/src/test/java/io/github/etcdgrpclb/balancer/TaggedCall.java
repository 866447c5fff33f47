package io.github.etcdgrpclb.balancer;

import io.grpc.CallOptions;
import io.grpc.LoadBalancer.PickSubchannelArgs;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;

/** A call's pick arguments for the routing tests: only its call options, with or without a tag, matter. */
final class TaggedCall extends PickSubchannelArgs {

	private final CallOptions options;

	private TaggedCall(CallOptions options) {
		this.options = options;
	}

	/** @param tag the call's tag, or null for an untagged call */
	static TaggedCall of(String tag) {
		return new TaggedCall((tag != null) ? CallOptions.DEFAULT.withOption(GrpclbTags.CALL_OPTION, tag) : CallOptions.DEFAULT);
	}

	@Override
	public CallOptions getCallOptions() {
		return this.options;
	}

	@Override
	public Metadata getHeaders() {
		return new Metadata();
	}

	@Override
	public MethodDescriptor<?, ?> getMethodDescriptor() {
		return null;
	}

}
