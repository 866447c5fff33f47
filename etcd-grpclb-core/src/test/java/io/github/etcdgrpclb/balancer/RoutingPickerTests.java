package io.github.etcdgrpclb.balancer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import io.github.etcdgrpclb.support.StubSubchannel;
import io.grpc.LoadBalancer.Subchannel;
import org.junit.jupiter.api.Test;

/**
 * The routing picker's lookup of a call's tag: by identity for the one tag a fleet has (the fast path),
 * by value otherwise, and the fallback, counted, for a tag no server has.
 */
class RoutingPickerTests {

	private final Subchannel untaggedServer = new StubSubchannel();

	private final Subchannel canaryServer = new StubSubchannel();

	private final Subchannel betaServer = new StubSubchannel();

	private final ServiceMeters meters = new ServiceMeters();

	@Test
	void soleTagShouldBeFoundWhetherOrNotItIsTheSameStringObject() {
		RoutingPicker picker = new RoutingPicker(picker(this.untaggedServer), Map.of("canary", picker(this.canaryServer)),
				picker(this.untaggedServer), this.meters);
		assertThat(pick(picker, "canary")).isSameAs(this.canaryServer);
		assertThat(pick(picker, new String("canary"))).as("an equal tag made elsewhere").isSameAs(this.canaryServer);
		assertThat(pick(picker, null)).isSameAs(this.untaggedServer);
		assertThat(this.meters.tagFallbacks()).isZero();
	}

	@Test
	void unknownTagShouldFallBackAndBeCountedAmongSeveralTags() {
		RoutingPicker picker = new RoutingPicker(picker(this.untaggedServer),
				Map.of("canary", picker(this.canaryServer), "beta", picker(this.betaServer)), picker(this.untaggedServer),
				this.meters);
		assertThat(pick(picker, new String("beta"))).isSameAs(this.betaServer);
		assertThat(pick(picker, "canary")).isSameAs(this.canaryServer);
		assertThat(pick(picker, "gamma")).isSameAs(this.untaggedServer);
		assertThat(this.meters.tagFallbacks()).isEqualTo(1);
	}

	private static WeightedPicker picker(Subchannel server) {
		return new WeightedPicker(List.of(server), new int[] { 1 });
	}

	private static Subchannel pick(RoutingPicker picker, String tag) {
		return picker.pickSubchannel(TaggedCall.of(tag)).getSubchannel();
	}

}
