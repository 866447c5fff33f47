package io.github.etcdgrpclb.balancer;

import static io.grpc.ConnectivityState.CONNECTING;
import static io.grpc.ConnectivityState.IDLE;
import static io.grpc.ConnectivityState.READY;
import static io.grpc.ConnectivityState.TRANSIENT_FAILURE;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.LongAdder;

import io.grpc.ConnectivityState;
import io.grpc.ConnectivityStateInfo;
import io.grpc.EquivalentAddressGroup;
import io.grpc.LoadBalancer;
import io.grpc.Status;

/**
 * The {@code weight} policy: one subchannel per address, calls spread over the READY ones at random
 * in proportion to their weights ({@link WeightedPicker}). Connection handling follows grpc-java's
 * round_robin: IDLE subchannels are asked to connect; a subchannel in TRANSIENT_FAILURE stays out of
 * the picker until it is READY again; while none is READY calls wait (CONNECTING) unless every
 * subchannel has failed, when they fail with the last failure. A weight change (same address) only
 * builds a new picker: no reconnect.
 * <p>
 * All methods run in the channel's SynchronizationContext (the LoadBalancer contract), so the fields
 * need no locking; pickers are immutable snapshots used from any thread.
 */
final class WeightLoadBalancer extends LoadBalancer {

	private final Helper helper;

	private final Map<EquivalentAddressGroup, Entry> entries = new HashMap<>();

	private ConnectivityState currentState;

	private SubchannelPicker currentPicker;

	private final String target;

	/** The etcd service name from the resolver (the authority for other resolvers): the meters' tag. */
	private String service;

	private volatile WeightBalancers.Snapshot snapshot;

	WeightLoadBalancer(Helper helper) {
		this.helper = helper;
		this.target = helper.getAuthority();
		this.service = this.target;
		this.snapshot = new WeightBalancers.Snapshot(this.target, IDLE, List.of());
		WeightBalancers.started(this);
	}

	WeightBalancers.Snapshot snapshot() {
		return this.snapshot;
	}

	@Override
	public Status acceptResolvedAddresses(ResolvedAddresses resolvedAddresses) {
		String service = resolvedAddresses.getAttributes().get(WeightAttributes.SERVICE);
		if (service != null && this.entries.isEmpty()) {
			this.service = service; // the counters in use keep the name they were made with
		}
		int maxWeight = (resolvedAddresses.getLoadBalancingPolicyConfig() instanceof WeightLoadBalancerConfig config)
				? config.maxWeight() : WeightLoadBalancerConfig.DEFAULT.maxWeight();
		Map<EquivalentAddressGroup, Integer> latest = new LinkedHashMap<>();
		for (EquivalentAddressGroup group : resolvedAddresses.getAddresses()) {
			latest.merge(new EquivalentAddressGroup(group.getAddresses()), WeightAttributes.weightOf(group, maxWeight),
					Math::max);
		}
		if (latest.isEmpty()) {
			Status status = Status.UNAVAILABLE.withDescription("The name resolver lists no address for this service");
			shutdownSubchannels();
			update(TRANSIENT_FAILURE, new ErrorPicker(status));
			return status;
		}
		this.entries.entrySet().removeIf((existing) -> {
			if (!latest.containsKey(existing.getKey())) {
				remove(existing.getValue());
				return true;
			}
			return false;
		});
		latest.forEach((address, weight) -> {
			Entry entry = this.entries.get(address);
			if (entry != null) {
				entry.weight = weight;
			}
			else {
				addSubchannel(address, weight);
			}
		});
		updateBalancingState();
		return Status.OK;
	}

	private void addSubchannel(EquivalentAddressGroup address, int weight) {
		Subchannel subchannel = this.helper
			.createSubchannel(CreateSubchannelArgs.newBuilder().setAddresses(address).build());
		String described = describe(address);
		Entry entry = new Entry(subchannel, weight, described, WeightBalancers.usePicks(this.service, described));
		this.entries.put(address, entry);
		subchannel.start((stateInfo) -> onSubchannelState(address, entry, stateInfo));
		subchannel.requestConnection();
	}

	private void onSubchannelState(EquivalentAddressGroup address, Entry entry, ConnectivityStateInfo stateInfo) {
		if (this.entries.get(address) != entry) {
			return;
		}
		if (stateInfo.getState() == IDLE) {
			entry.subchannel.requestConnection();
		}
		// Sticky TRANSIENT_FAILURE: a failed subchannel is not "connecting" again until it is READY.
		boolean stayFailed = entry.state.getState() == TRANSIENT_FAILURE
				&& (stateInfo.getState() == CONNECTING || stateInfo.getState() == IDLE);
		if (!stayFailed) {
			entry.state = stateInfo;
		}
		updateBalancingState();
	}

	@Override
	public void handleNameResolutionError(Status error) {
		if (this.currentState != READY) {
			update(TRANSIENT_FAILURE, new ErrorPicker(error));
		}
		// Otherwise keep using the servers we know: a resolver failure is no reason to stop calling them.
	}

	@Override
	public void requestConnection() {
		for (Entry entry : this.entries.values()) {
			if (entry.state.getState() == IDLE) {
				entry.subchannel.requestConnection();
			}
		}
	}

	@Override
	public void shutdown() {
		shutdownSubchannels();
		WeightBalancers.stopped(this);
	}

	private void shutdownSubchannels() {
		this.entries.values().forEach(this::remove);
		this.entries.clear();
		publishSnapshot();
	}

	private void remove(Entry entry) {
		entry.subchannel.shutdown();
		WeightBalancers.releasePicks(this.service, entry.address);
	}

	private static String describe(EquivalentAddressGroup group) {
		SocketAddress address = group.getAddresses().get(0);
		if (address instanceof InetSocketAddress inet) {
			String host = inet.getHostString();
			return (host.contains(":") ? "[" + host + "]" : host) + ":" + inet.getPort();
		}
		return address.toString();
	}

	private void updateBalancingState() {
		List<Subchannel> ready = new ArrayList<>();
		List<Integer> weights = new ArrayList<>();
		List<LongAdder> picks = new ArrayList<>();
		boolean connecting = false;
		Status failure = null;
		for (Entry entry : this.entries.values()) {
			ConnectivityState state = entry.state.getState();
			if (state == READY) {
				ready.add(entry.subchannel);
				weights.add(entry.weight);
				picks.add(entry.picks);
			}
			else if (state == TRANSIENT_FAILURE) {
				failure = entry.state.getStatus();
			}
			else {
				connecting = true;
			}
		}
		if (!ready.isEmpty()) {
			update(READY, new WeightedPicker(ready, weights.stream().mapToInt(Integer::intValue).toArray(),
					picks.toArray(LongAdder[]::new)));
		}
		else if (connecting || failure == null) {
			update(CONNECTING, new EmptyPicker());
		}
		else {
			update(TRANSIENT_FAILURE, new ErrorPicker(failure));
		}
	}

	private void update(ConnectivityState state, SubchannelPicker picker) {
		if (state != this.currentState || !picker.equals(this.currentPicker)) {
			this.helper.updateBalancingState(state, picker);
			this.currentState = state;
			this.currentPicker = picker;
		}
		publishSnapshot();
	}

	private void publishSnapshot() {
		this.snapshot = new WeightBalancers.Snapshot(this.target, (this.currentState != null) ? this.currentState : IDLE,
				this.entries.values().stream().map(Entry::backend).toList());
	}

	/** One address: its subchannel, weight and last state. */
	private static final class Entry {

		final Subchannel subchannel;

		final String address;

		final LongAdder picks;

		int weight;

		ConnectivityStateInfo state = ConnectivityStateInfo.forNonError(IDLE);

		Entry(Subchannel subchannel, int weight, String address, LongAdder picks) {
			this.subchannel = subchannel;
			this.weight = weight;
			this.address = address;
			this.picks = picks;
		}

		WeightBalancers.Backend backend() {
			return new WeightBalancers.Backend(this.address, this.weight, this.state.getState(), this.picks);
		}

	}

	/** No subchannel is READY yet: calls wait. */
	static final class EmptyPicker extends SubchannelPicker {

		@Override
		public PickResult pickSubchannel(PickSubchannelArgs args) {
			return PickResult.withNoResult();
		}

		@Override
		public boolean equals(Object other) {
			return other instanceof EmptyPicker;
		}

		@Override
		public int hashCode() {
			return EmptyPicker.class.hashCode();
		}

	}

	/** Every subchannel failed (or there is none): calls fail with the status. */
	static final class ErrorPicker extends SubchannelPicker {

		private final Status status;

		ErrorPicker(Status status) {
			this.status = status;
		}

		@Override
		public PickResult pickSubchannel(PickSubchannelArgs args) {
			return PickResult.withError(this.status);
		}

		@Override
		public boolean equals(Object other) {
			return other instanceof ErrorPicker picker && picker.status.getCode() == this.status.getCode()
					&& Objects.equals(picker.status.getDescription(), this.status.getDescription());
		}

		@Override
		public int hashCode() {
			return this.status.getCode().hashCode();
		}

	}

}
