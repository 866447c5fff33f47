package io.github.etcdgrpclb.balancer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import io.github.etcdgrpclb.etcd.InstanceMetadata;
import io.github.etcdgrpclb.support.CallOptionsCapture;
import io.github.etcdgrpclb.support.StubSubchannel;
import io.grpc.CallOptions;
import io.grpc.ClientInterceptor;
import io.grpc.LoadBalancer.Subchannel;
import org.junit.jupiter.api.Test;

/**
 * The routing picker's lookup of a call's tag: by identity for the one tag a fleet has (the fast path),
 * by value otherwise, and the fallback, counted, for a tag no server has; each route picks and counts
 * as its own weighted picker would, whether its slots are held by the routing picker or not.
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

	@Test
	void eachRouteShouldPickAsItsOwnPickerWouldWithTheSameDrawAndCountOnItsCounters() {
		// Slots (totals 4 and 7) for the untagged route and the canary; an alias table (total 1,100) for
		// "large". The routing picker holds the untagged route's and its first tag's slots as its own
		// fields (unless that tag's picker has none), finds further tags by identity in a scan and an
		// equal tag in a String of its own in its map: every way must pick as the route itself would.
		LongAdder[] untaggedPicks = counters(2);
		LongAdder[] canaryPicks = counters(2);
		LongAdder[] largePicks = counters(2);
		WeightedPicker untagged = measured(new int[] { 1, 3 }, untaggedPicks);
		WeightedPicker canary = measured(new int[] { 2, 5 }, canaryPicks);
		WeightedPicker large = measured(new int[] { 100, 1000 }, largePicks);
		RoutingPicker soleTag = new RoutingPicker(untagged, Map.of("canary", canary), untagged, this.meters);
		RoutingPicker canaryFirst = new RoutingPicker(untagged, ordered("canary", canary, "large", large), untagged,
				this.meters);
		RoutingPicker largeFirst = new RoutingPicker(untagged, ordered("large", large, "canary", canary), untagged,
				this.meters);
		Random draws = new Random(24); // seeded: the same draws every run
		for (int i = 0; i < 2_000; i++) {
			long draw = draws.nextLong();
			assertSamePick(soleTag, null, untagged, draw);
			assertSamePick(soleTag, "canary", canary, draw);
			assertSamePick(canaryFirst, "large", large, draw);
			assertSamePick(canaryFirst, new String("canary"), canary, draw);
			assertSamePick(largeFirst, "large", large, draw);
			assertSamePick(largeFirst, "canary", canary, draw);
		}
		assertThat(sum(untaggedPicks)).isEqualTo(2_000);
		assertThat(sum(canaryPicks)).isEqualTo(6_000);
		assertThat(sum(largePicks)).isEqualTo(4_000);
		assertThat(this.meters.tagFallbacks()).isZero();
	}

	@Test
	void everyTagOfAManyTaggedFleetShouldReachItsServersWhetherFieldScannedOrLookedUp() {
		Map<String, WeightedPicker> byTag = new LinkedHashMap<>();
		Map<String, Subchannel> serverOf = new LinkedHashMap<>();
		for (int i = 0; i < RoutingPicker.MAX_SCANNED + 3; i++) { // the first in fields, 8 scanned, 2 in the map
			Subchannel server = new StubSubchannel();
			byTag.put(("tag-" + i).intern(), picker(server));
			serverOf.put("tag-" + i, server);
		}
		RoutingPicker picker = new RoutingPicker(picker(this.untaggedServer), byTag, picker(this.untaggedServer),
				this.meters);
		serverOf.forEach((tag, server) -> assertThat(pick(picker, tag)).as(tag).isSameAs(server));
		assertThat(this.meters.tagFallbacks()).isZero();
	}

	@Test
	void aTagReadFromEtcdAndTheSameTagSetOnACallShouldBeOneStringObject() throws Exception {
		// The picker's fast path: the fleet's one tag compared by identity. Strings built at run time, as
		// etcd's value and a header's are.
		String fromEtcd = InstanceMetadata.parse("{\"tags\":\"" + new String("canary") + ",blue\"}").tags().iterator().next();
		assertThat(optionSetBy(GrpclbTags.tag(new String(" canary")))).isSameAs(fromEtcd);
		assertThat(GrpclbTags.callWithTag(new String("canary"), () -> optionSetBy(GrpclbTags.propagating())))
			.isSameAs(fromEtcd);
	}

	/** @return the tag call option the interceptor put on a call */
	private static String optionSetBy(ClientInterceptor interceptor) {
		return CallOptionsCapture.through(interceptor, CallOptions.DEFAULT).getOption(GrpclbTags.CALL_OPTION);
	}

	private static void assertSamePick(RoutingPicker routing, String tag, WeightedPicker route, long draw) {
		Subchannel expected = route.subchannels().get(route.pickIndex(draw));
		assertThat(routing.pick(TaggedCall.of(tag), draw).getSubchannel()).as("tag %s, draw %d", tag, draw)
			.isSameAs(expected);
	}

	private static WeightedPicker measured(int[] weights, LongAdder[] picks) {
		List<Subchannel> servers = IntStream.range(0, weights.length)
			.mapToObj((i) -> (Subchannel) new StubSubchannel())
			.toList();
		return new WeightedPicker(servers, weights, picks, null);
	}

	private static Map<String, WeightedPicker> ordered(String firstTag, WeightedPicker first, String secondTag,
			WeightedPicker second) {
		Map<String, WeightedPicker> byTag = new LinkedHashMap<>();
		byTag.put(firstTag, first);
		byTag.put(secondTag, second);
		return byTag;
	}

	private static LongAdder[] counters(int count) {
		return Stream.generate(LongAdder::new).limit(count).toArray(LongAdder[]::new);
	}

	/** @return what the pick meters read from the counters */
	private static long sum(LongAdder[] picks) {
		return Arrays.stream(picks).mapToLong(LongAdder::sum).sum();
	}

	private static WeightedPicker picker(Subchannel server) {
		return new WeightedPicker(List.of(server), new int[] { 1 });
	}

	private static Subchannel pick(RoutingPicker picker, String tag) {
		return picker.pickSubchannel(TaggedCall.of(tag)).getSubchannel();
	}

}
