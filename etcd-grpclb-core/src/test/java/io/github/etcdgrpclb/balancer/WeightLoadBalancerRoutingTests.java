package io.github.etcdgrpclb.balancer;

import static io.grpc.ConnectivityState.READY;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import io.github.etcdgrpclb.etcd.InstanceMetadata;
import io.github.etcdgrpclb.support.FakeTimer;
import io.grpc.Attributes;
import io.grpc.ConnectivityStateInfo;
import io.grpc.EquivalentAddressGroup;
import io.grpc.LoadBalancer.PickResult;
import io.grpc.LoadBalancer.ResolvedAddresses;
import io.grpc.LoadBalancer.SubchannelPicker;
import io.grpc.Status;
import io.grpc.SynchronizationContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The {@code weight} balancer's routing by server metadata, with a fake Helper and a real
 * SynchronizationContext: which subset each kind of call is picked from (the caller's zone, every
 * zone, a tag's servers, the fallback), and that no rule leaves a call without a server.
 */
class WeightLoadBalancerRoutingTests {

	private final AtomicReference<Throwable> uncaught = new AtomicReference<>();

	private final SynchronizationContext syncContext = new SynchronizationContext(
			(thread, error) -> this.uncaught.compareAndSet(null, error));

	private final FakeTimer timer = new FakeTimer();

	private final FakeHelper helper = new FakeHelper(this.syncContext, this.timer);

	private final WeightLoadBalancer balancer = new WeightLoadBalancer(this.helper, this.timer.ticker());

	private final Map<InetSocketAddress, Map<String, String>> servers = new LinkedHashMap<>();

	@AfterEach
	void shutdown() {
		this.syncContext.execute(this.balancer::shutdown);
		assertThat(this.uncaught.get()).isNull();
	}

	@Test
	void withoutZoneOrTagsThePickerShouldBeThePlainWeightedOne() {
		server(1, Map.of());
		server(2, Map.of("version", "v2"));
		start(RoutingPolicy.DEFAULT);
		assertThat(this.helper.lastPicker()).isInstanceOf(WeightedPicker.class);
	}

	@Test
	void callsShouldStayInTheCallersZoneWithTheServersThatNameNone() {
		server(1, Map.of("zone", "a"));
		server(2, Map.of());
		server(3, Map.of("zone", "b"));
		start(zone("a", 50));
		assertThat(subchannelsOf(this.helper.lastPicker())).containsExactly(sub(1), sub(2));
		assertThat(routing()).isEqualTo("zone a: local, 2 of 2 local weight ready");
	}

	@Test
	void callsShouldSpreadOverEveryZoneWhenTooLittleOfTheirZoneIsReady() {
		server(1, Map.of("zone", "a"));
		server(2, Map.of("zone", "a"));
		server(3, Map.of("zone", "b"));
		accept(zone("a", 60));
		ready(3);
		ready(1);
		assertThat(subchannelsOf(this.helper.lastPicker())).as("1 of 2 ready: below 60%").containsExactly(sub(1), sub(3));
		assertThat(routing()).isEqualTo("zone a: spilling over to every zone, 1 of 2 local weight ready");
		ready(2);
		assertThat(subchannelsOf(this.helper.lastPicker())).containsExactly(sub(1), sub(2));
	}

	@Test
	void zoneWithoutAnyReadyServerShouldNeverFailACall() {
		server(1, Map.of("zone", "a"));
		server(2, Map.of("zone", "b"));
		accept(zone("a", 0));
		ready(2);
		assertThat(subchannelsOf(this.helper.lastPicker())).containsExactly(sub(2));
	}

	@Test
	void taggedCallsShouldGoToTheirTagsServersAndOthersNeverThere() {
		server(1, Map.of());
		server(2, Map.of());
		server(3, Map.of("tags", "canary,blue"));
		start(RoutingPolicy.DEFAULT);
		SubchannelPicker picker = this.helper.lastPicker();
		for (int i = 0; i < 200; i++) {
			assertThat(pick(picker, "canary").getSubchannel()).isSameAs(sub(3));
			assertThat(pick(picker, "blue").getSubchannel()).isSameAs(sub(3));
			assertThat(pick(picker, null).getSubchannel()).as("untagged calls: the canary is isolated")
				.isIn(sub(1), sub(2));
		}
		assertThat(routing()).isEqualTo("every zone (no zone set); tags canary, blue (isolated)");
	}

	@Test
	void taggedCallWithoutAReadyTaggedServerShouldFallBackToTheUntaggedOrFailWhenStrict() {
		server(1, Map.of());
		server(2, Map.of("tags", "canary"));
		start(RoutingPolicy.DEFAULT);
		assertThat(pick(this.helper.lastPicker(), "v9").getSubchannel()).isSameAs(sub(1));

		start(new RoutingPolicy(null, 50, true, true));
		PickResult strict = pick(this.helper.lastPicker(), "v9");
		assertThat(strict.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
		assertThat(strict.getStatus().getDescription()).contains("grpclb-tag");
	}

	@Test
	void taggedServersShouldServeEveryCallWhenNoUntaggedOneIsReady() {
		server(1, Map.of());
		server(2, Map.of("tags", "canary"));
		accept(RoutingPolicy.DEFAULT);
		ready(2);
		assertThat(pick(this.helper.lastPicker(), null).getSubchannel()).isSameAs(sub(2));
	}

	@Test
	void notIsolatedTaggedServersShouldTakeTheirShareOfUntaggedCalls() {
		server(1, Map.of());
		server(2, Map.of("tags", "canary"));
		start(new RoutingPolicy(null, 50, false, false));
		SubchannelPicker picker = this.helper.lastPicker();
		assertThat(subchannelsOf(((RoutingPicker) picker).untagged())).containsExactly(sub(1), sub(2));
	}

	private void server(int last, Map<String, String> metadata) {
		this.servers.put(address(last), metadata);
	}

	private void start(RoutingPolicy routing) {
		accept(routing);
		for (int i = 0; i < this.helper.subchannels.size(); i++) {
			if (this.helper.subchannels.get(i).listener != null) {
				ready(i + 1);
			}
		}
	}

	private void accept(RoutingPolicy routing) {
		List<EquivalentAddressGroup> groups = new ArrayList<>();
		this.servers.forEach((address, metadata) -> {
			Attributes.Builder attributes = Attributes.newBuilder().set(WeightAttributes.WEIGHT, 1);
			if (!metadata.isEmpty()) {
				attributes.set(WeightAttributes.METADATA, new InstanceMetadata(metadata));
			}
			groups.add(new EquivalentAddressGroup(List.of(address), attributes.build()));
		});
		this.syncContext.execute(() -> this.balancer.acceptResolvedAddresses(ResolvedAddresses.newBuilder()
			.setAddresses(groups)
			.setLoadBalancingPolicyConfig(new WeightLoadBalancerConfig(100, HealthPolicy.DEFAULT, routing))
			.build()));
	}

	private void ready(int last) {
		FakeSubchannel subchannel = sub(last);
		this.syncContext.execute(() -> subchannel.listener.onSubchannelState(ConnectivityStateInfo.forNonError(READY)));
	}

	private FakeSubchannel sub(int last) {
		InetSocketAddress address = address(last);
		return this.helper.subchannels.stream()
			.filter((subchannel) -> subchannel.addresses.get(0).getAddresses().contains(address))
			.reduce((first, second) -> second)
			.orElseThrow();
	}

	private String routing() {
		return this.balancer.snapshot().routing();
	}

	private static RoutingPolicy zone(String zone, int minLocalPercent) {
		return new RoutingPolicy(zone, minLocalPercent, true, false);
	}

	private static List<Object> subchannelsOf(SubchannelPicker picker) {
		SubchannelPicker untagged = (picker instanceof RoutingPicker routing) ? routing.untagged() : picker;
		return List.copyOf(((WeightedPicker) untagged).subchannels());
	}

	private static PickResult pick(SubchannelPicker picker, String tag) {
		return picker.pickSubchannel(TaggedCall.of(tag));
	}

	private static InetSocketAddress address(int last) {
		return new InetSocketAddress("10.0.0." + last, 9000);
	}

}
