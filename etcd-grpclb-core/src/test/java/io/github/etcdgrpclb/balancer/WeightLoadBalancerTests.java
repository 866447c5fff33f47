package io.github.etcdgrpclb.balancer;

import static io.grpc.ConnectivityState.CONNECTING;
import static io.grpc.ConnectivityState.IDLE;
import static io.grpc.ConnectivityState.READY;
import static io.grpc.ConnectivityState.TRANSIENT_FAILURE;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import io.grpc.Attributes;
import io.grpc.ConnectivityState;
import io.grpc.ConnectivityStateInfo;
import io.grpc.EquivalentAddressGroup;
import io.grpc.LoadBalancer;
import io.grpc.LoadBalancer.CreateSubchannelArgs;
import io.grpc.LoadBalancer.PickResult;
import io.grpc.LoadBalancer.PickSubchannelArgs;
import io.grpc.LoadBalancer.ResolvedAddresses;
import io.grpc.LoadBalancer.Subchannel;
import io.grpc.LoadBalancer.SubchannelPicker;
import io.grpc.LoadBalancer.SubchannelStateListener;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.SynchronizationContext;
import io.github.etcdgrpclb.support.FakeTimer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The {@code weight} balancer's connection and picker rules, driven by hand in the style of
 * grpc-java's {@code RoundRobinLoadBalancerTest}: a fake {@link LoadBalancer.Helper} records what the
 * balancer asks for, subchannel states are pushed by the test, and everything runs in a real
 * {@link SynchronizationContext} whose uncaught-exception handler fails the test.
 */
class WeightLoadBalancerTests {

	private final AtomicReference<Throwable> uncaught = new AtomicReference<>();

	private final SynchronizationContext syncContext = new SynchronizationContext(
			(thread, error) -> this.uncaught.compareAndSet(null, error));

	private final FakeTimer timer = new FakeTimer();

	private final FakeHelper helper = new FakeHelper(this.syncContext, this.timer);

	private final WeightLoadBalancer balancer = new WeightLoadBalancer(this.helper, this.timer.ticker());

	@AfterEach
	void shutdown() {
		this.syncContext.execute(this.balancer::shutdown);
		assertThat(this.uncaught.get()).isNull();
	}

	@Test
	void newAddressesShouldEachGetOneSubchannelAskedToConnectWhileCallsWait() {
		accept(Map.of(address(1), 1, address(2), 3));
		assertThat(this.helper.subchannels).hasSize(2).allMatch((subchannel) -> subchannel.connectionRequests == 1);
		assertThat(this.helper.lastState()).isEqualTo(CONNECTING);
		assertThat(pick().getSubchannel()).isNull();
		assertThat(pick().getStatus().isOk()).isTrue();
	}

	@Test
	void pickerShouldHoldOnlyReadySubchannelsWithTheirWeights() {
		accept(ordered(address(1), 1, address(2), 3));
		FakeSubchannel first = this.helper.subchannels.get(0);
		FakeSubchannel second = this.helper.subchannels.get(1);
		state(first, READY);
		assertThat(this.helper.lastState()).isEqualTo(READY);
		assertPicker(List.of(first), 1);
		state(second, READY);
		assertPicker(List.of(first, second), 1, 3);
	}

	@Test
	void weightOnlyChangeShouldBuildANewPickerWithoutReconnecting() {
		accept(ordered(address(1), 1, address(2), 3));
		this.helper.subchannels.forEach((subchannel) -> state(subchannel, READY));
		accept(ordered(address(1), 5, address(2), 3));
		assertThat(this.helper.subchannels).hasSize(2).noneMatch((subchannel) -> subchannel.shutdown);
		assertPicker(List.copyOf(this.helper.subchannels), 5, 3);
	}

	@Test
	void removedAddressShouldShutItsSubchannelDownAndLeaveThePicker() {
		accept(ordered(address(1), 1, address(2), 3));
		this.helper.subchannels.forEach((subchannel) -> state(subchannel, READY));
		accept(Map.of(address(2), 3));
		assertThat(this.helper.subchannels.get(0).shutdown).isTrue();
		assertPicker(List.of(this.helper.subchannels.get(1)), 3);
	}

	@Test
	void failedSubchannelShouldStayOutUntilReadyAgainWhileOthersServe() {
		accept(ordered(address(1), 1, address(2), 1));
		FakeSubchannel first = this.helper.subchannels.get(0);
		FakeSubchannel second = this.helper.subchannels.get(1);
		state(first, READY);
		state(second, READY);
		failure(first, Status.UNAVAILABLE.withDescription("connection refused"));
		state(first, CONNECTING); // sticky TRANSIENT_FAILURE: still out
		assertPicker(List.of(second), 1);
		state(first, READY);
		assertPicker(List.of(first, second), 1, 1);
	}

	@Test
	void everySubchannelFailedShouldFailCallsWithTheFailure() {
		accept(ordered(address(1), 1, address(2), 1));
		Status refused = Status.UNAVAILABLE.withDescription("connection refused");
		failure(this.helper.subchannels.get(0), refused);
		assertThat(this.helper.lastState()).isEqualTo(CONNECTING); // the other is still connecting
		failure(this.helper.subchannels.get(1), refused);
		assertThat(this.helper.lastState()).isEqualTo(TRANSIENT_FAILURE);
		assertThat(pick().getStatus().getDescription()).isEqualTo("connection refused");
	}

	@Test
	void idleSubchannelShouldBeAskedToConnectAgain() {
		accept(Map.of(address(1), 1));
		FakeSubchannel subchannel = this.helper.subchannels.get(0);
		state(subchannel, READY);
		state(subchannel, IDLE);
		assertThat(subchannel.connectionRequests).isEqualTo(2);
	}

	@Test
	void emptyAddressListShouldFailCallsAndShutEverySubchannelDown() {
		accept(Map.of(address(1), 1));
		state(this.helper.subchannels.get(0), READY);
		Status status = acceptReturningStatus(Map.of());
		assertThat(status.getCode()).isEqualTo(Status.Code.UNAVAILABLE);
		assertThat(this.helper.subchannels.get(0).shutdown).isTrue();
		assertThat(this.helper.lastState()).isEqualTo(TRANSIENT_FAILURE);
		assertThat(pick().getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
	}

	@Test
	void resolverErrorShouldKeepAReadyPickerButFailWaitingCalls() {
		accept(Map.of(address(1), 1));
		Status etcdDown = Status.UNAVAILABLE.withDescription("etcd down");
		this.syncContext.execute(() -> this.balancer.handleNameResolutionError(etcdDown));
		assertThat(this.helper.lastState()).isEqualTo(TRANSIENT_FAILURE);
		state(this.helper.subchannels.get(0), READY);
		SubchannelPicker ready = this.helper.lastPicker();
		this.syncContext.execute(() -> this.balancer.handleNameResolutionError(etcdDown));
		assertThat(this.helper.lastPicker()).isSameAs(ready);
		assertThat(this.helper.lastState()).isEqualTo(READY);
	}

	@Test
	void balancingStateShouldBePushedOnlyWhenItChanges() {
		accept(Map.of(address(1), 1));
		FakeSubchannel subchannel = this.helper.subchannels.get(0);
		state(subchannel, READY);
		int updates = this.helper.updates.size();
		accept(Map.of(address(1), 1)); // the same list again
		state(subchannel, READY);
		assertThat(this.helper.updates).hasSize(updates);
	}

	@Test
	void sameAddressListedTwiceShouldGetOneSubchannelWithTheLargerWeight() {
		EquivalentAddressGroup light = group(address(1), 2);
		EquivalentAddressGroup heavy = group(address(1), 7);
		this.syncContext.execute(() -> this.balancer.acceptResolvedAddresses(
				ResolvedAddresses.newBuilder().setAddresses(List.of(light, heavy)).build()));
		assertThat(this.helper.subchannels).hasSize(1);
		state(this.helper.subchannels.get(0), READY);
		assertPicker(List.of(this.helper.subchannels.get(0)), 7);
	}

	@Test
	void weightsShouldBeClampedToTheConfiguredMaximum() {
		this.syncContext.execute(() -> this.balancer.acceptResolvedAddresses(ResolvedAddresses.newBuilder()
			.setAddresses(List.of(group(address(1), 500)))
			.setLoadBalancingPolicyConfig(new WeightLoadBalancerConfig(10, HealthPolicy.DEFAULT))
			.build()));
		state(this.helper.subchannels.get(0), READY);
		assertPicker(List.of(this.helper.subchannels.get(0)), 10);
	}

	/** The READY picker holds these subchannels with these weights, in this order. */
	private void assertPicker(List<? extends Subchannel> subchannels, int... weights) {
		assertThat(this.helper.lastPicker()).isInstanceOf(WeightedPicker.class);
		WeightedPicker picker = (WeightedPicker) this.helper.lastPicker();
		assertThat(picker.subchannels()).containsExactlyElementsOf(subchannels);
		assertThat(picker.weights()).containsExactly(weights);
	}

	private void accept(Map<InetSocketAddress, Integer> weights) {
		assertThat(acceptReturningStatus(weights).isOk()).isTrue();
	}

	private Status acceptReturningStatus(Map<InetSocketAddress, Integer> weights) {
		List<EquivalentAddressGroup> groups = new ArrayList<>();
		weights.forEach((address, weight) -> groups.add(group(address, weight)));
		AtomicReference<Status> status = new AtomicReference<>();
		this.syncContext.execute(() -> status.set(this.balancer
			.acceptResolvedAddresses(ResolvedAddresses.newBuilder().setAddresses(groups).build())));
		return status.get();
	}

	private void state(FakeSubchannel subchannel, ConnectivityState state) {
		this.syncContext.execute(() -> subchannel.listener.onSubchannelState(ConnectivityStateInfo.forNonError(state)));
	}

	private void failure(FakeSubchannel subchannel, Status status) {
		ConnectivityStateInfo failed = ConnectivityStateInfo.forTransientFailure(status);
		this.syncContext.execute(() -> subchannel.listener.onSubchannelState(failed));
	}

	private PickResult pick() {
		return this.helper.lastPicker().pickSubchannel(null);
	}

	private static Map<InetSocketAddress, Integer> ordered(InetSocketAddress first, int firstWeight,
			InetSocketAddress second, int secondWeight) {
		Map<InetSocketAddress, Integer> weights = new LinkedHashMap<>();
		weights.put(first, firstWeight);
		weights.put(second, secondWeight);
		return weights;
	}

	private static InetSocketAddress address(int last) {
		return new InetSocketAddress("10.0.0." + last, 9000);
	}

	private static EquivalentAddressGroup group(InetSocketAddress address, int weight) {
		return new EquivalentAddressGroup(List.of(address),
				Attributes.newBuilder().set(WeightAttributes.WEIGHT, weight).build());
	}

}
