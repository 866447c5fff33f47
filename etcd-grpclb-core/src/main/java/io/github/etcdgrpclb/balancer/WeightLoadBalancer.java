package io.github.etcdgrpclb.balancer;

import static io.grpc.ConnectivityState.CONNECTING;
import static io.grpc.ConnectivityState.IDLE;
import static io.grpc.ConnectivityState.READY;
import static io.grpc.ConnectivityState.TRANSIENT_FAILURE;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

import io.grpc.ClientStreamTracer;
import io.grpc.ConnectivityState;
import io.grpc.ConnectivityStateInfo;
import io.grpc.Deadline;
import io.grpc.EquivalentAddressGroup;
import io.grpc.LoadBalancer;
import io.grpc.Status;
import io.grpc.SynchronizationContext.ScheduledHandle;
import io.github.etcdgrpclb.etcd.InstanceMetadata;

/**
 * The {@code weight} policy: one subchannel per address, calls spread over the READY ones at random
 * in proportion to their effective weights ({@link WeightedPicker}): etcd's weight times a health
 * factor the {@link HealthJudge} sets once per interval from what this channel's own calls showed
 * (ejected, slowed, warming up; 1 when all is well, so the split is then etcd's). Connection handling
 * follows grpc-java's round_robin: IDLE subchannels are asked to connect; a subchannel in
 * TRANSIENT_FAILURE stays out of the picker until it is READY again; while none is READY calls wait
 * (CONNECTING) unless every subchannel has failed, when they fail with the last failure. A weight
 * change (same address) only builds a new picker: no reconnect.
 * <p>
 * All methods run in the channel's SynchronizationContext (the LoadBalancer contract), so the fields
 * need no locking; pickers are immutable snapshots used from any thread, and only replaced when the
 * READY set or an effective weight changed.
 */
final class WeightLoadBalancer extends LoadBalancer {

	private final Helper helper;

	private final Deadline.Ticker ticker;

	private final Map<EquivalentAddressGroup, Endpoint> endpoints = new HashMap<>();

	private final String target;

	private ConnectivityState currentState;

	private SubchannelPicker currentPicker;

	/** The etcd service name from the resolver (the authority for other resolvers): the meters' tag. */
	private String service;

	private HealthPolicy policy = HealthPolicy.DEFAULT;

	private HealthJudge judge = new HealthJudge(this.policy);

	private RoutingPolicy routing = RoutingPolicy.DEFAULT;

	private ServiceMeters serviceMeters;

	private String routingDecision;

	private ScheduledHandle nextJudgement;

	/**
	 * Whether an address list was taken in: the servers of the first list are not new to the fleet
	 * (the channel is), so only servers added later start slow.
	 */
	private boolean seenAddresses;

	private volatile WeightBalancers.Snapshot snapshot;

	WeightLoadBalancer(Helper helper) {
		this(helper, Deadline.getSystemTicker());
	}

	WeightLoadBalancer(Helper helper, Deadline.Ticker ticker) {
		this.helper = helper;
		this.ticker = ticker;
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
		if (service != null && this.endpoints.isEmpty()) {
			this.service = service; // the counters in use keep the name they were made with
		}
		WeightLoadBalancerConfig config = (resolvedAddresses.getLoadBalancingPolicyConfig() instanceof WeightLoadBalancerConfig given)
				? given : WeightLoadBalancerConfig.DEFAULT;
		usePolicy(config.health());
		this.routing = config.routing();
		if (this.serviceMeters == null) {
			this.serviceMeters = WeightBalancers.useServiceMeters(this.service);
		}
		this.serviceMeters.callerZone(this.routing.zone());
		Map<EquivalentAddressGroup, Integer> latest = new LinkedHashMap<>();
		Map<EquivalentAddressGroup, InstanceMetadata> metadata = new HashMap<>();
		for (EquivalentAddressGroup group : resolvedAddresses.getAddresses()) {
			EquivalentAddressGroup address = new EquivalentAddressGroup(group.getAddresses());
			latest.merge(address, WeightAttributes.weightOf(group, config.maxWeight()), Math::max);
			metadata.putIfAbsent(address, WeightAttributes.metadataOf(group));
		}
		if (latest.isEmpty()) {
			Status status = Status.UNAVAILABLE.withDescription("The name resolver lists no address for this service");
			shutdownSubchannels();
			update(TRANSIENT_FAILURE, new FixedPickers.ErrorPicker(status));
			return status;
		}
		this.endpoints.entrySet().removeIf((existing) -> {
			if (!latest.containsKey(existing.getKey())) {
				remove(existing.getValue());
				return true;
			}
			return false;
		});
		boolean newToTheFleet = this.seenAddresses;
		latest.forEach((address, weight) -> {
			Endpoint endpoint = this.endpoints.get(address);
			if (endpoint != null) {
				endpoint.weight = weight;
			}
			else {
				endpoint = addSubchannel(address, weight, newToTheFleet);
			}
			endpoint.metadata = metadata.get(address);
			endpoint.meters.zone(endpoint.metadata.zone());
		});
		this.seenAddresses = true;
		scheduleJudgement();
		updateBalancingState();
		return Status.OK;
	}

	/** A new policy measures afresh: counts made under other rules would mislead the new ones. */
	private void usePolicy(HealthPolicy newPolicy) {
		if (newPolicy.equals(this.policy)) {
			return;
		}
		this.policy = newPolicy;
		this.judge = new HealthJudge(newPolicy);
		this.endpoints.values().forEach((endpoint) -> endpoint.health = newHealth(false));
		cancelJudgement();
	}

	/** @param slowStart whether the server starts slow (it is new to the fleet) */
	private EndpointHealth newHealth(boolean slowStart) {
		long now = this.ticker.nanoTime();
		long rampStart = slowStart ? now : now - this.policy.slowStart().window().toNanos();
		return new EndpointHealth(new CallStats(this.policy.failureStatuses(), this.ticker), rampStart);
	}

	private Endpoint addSubchannel(EquivalentAddressGroup address, int weight, boolean slowStart) {
		Subchannel subchannel = this.helper
			.createSubchannel(CreateSubchannelArgs.newBuilder().setAddresses(address).build());
		String described = Endpoint.describe(address);
		Endpoint endpoint = new Endpoint(subchannel, described, weight,
				WeightBalancers.useMeters(this.service, described), newHealth(slowStart));
		this.endpoints.put(address, endpoint);
		subchannel.start((stateInfo) -> onSubchannelState(address, endpoint, stateInfo));
		subchannel.requestConnection();
		return endpoint;
	}

	private void onSubchannelState(EquivalentAddressGroup address, Endpoint endpoint, ConnectivityStateInfo stateInfo) {
		if (this.endpoints.get(address) != endpoint) {
			return;
		}
		if (stateInfo.getState() == IDLE) {
			endpoint.subchannel.requestConnection();
		}
		// Sticky TRANSIENT_FAILURE: a failed subchannel is not "connecting" again until it is READY.
		boolean stayFailed = endpoint.state.getState() == TRANSIENT_FAILURE
				&& (stateInfo.getState() == CONNECTING || stateInfo.getState() == IDLE);
		if (!stayFailed) {
			endpoint.state = stateInfo;
		}
		updateBalancingState();
	}

	@Override
	public void handleNameResolutionError(Status error) {
		if (this.currentState != READY) {
			update(TRANSIENT_FAILURE, new FixedPickers.ErrorPicker(error));
		}
		// Otherwise keep using the servers we know: a resolver failure is no reason to stop calling them.
	}

	@Override
	public void requestConnection() {
		for (Endpoint endpoint : this.endpoints.values()) {
			if (endpoint.state.getState() == IDLE) {
				endpoint.subchannel.requestConnection();
			}
		}
	}

	@Override
	public void shutdown() {
		cancelJudgement();
		shutdownSubchannels();
		if (this.serviceMeters != null) {
			WeightBalancers.releaseServiceMeters(this.service);
			this.serviceMeters = null;
		}
		WeightBalancers.stopped(this);
	}

	private void shutdownSubchannels() {
		this.endpoints.values().forEach(this::remove);
		this.endpoints.clear();
		publishSnapshot();
	}

	private void remove(Endpoint endpoint) {
		endpoint.subchannel.shutdown();
		WeightBalancers.releaseMeters(this.service, endpoint.address);
	}

	/** Judges the servers every interval, while there are any and the policy adjusts weights. */
	private void scheduleJudgement() {
		if (this.nextJudgement != null || !this.policy.adjustsWeights() || this.endpoints.isEmpty()) {
			return;
		}
		this.nextJudgement = this.helper.getSynchronizationContext()
			.schedule(this::judge, this.policy.interval().toNanos(), TimeUnit.NANOSECONDS,
					this.helper.getScheduledExecutorService());
	}

	private void judge() {
		this.nextJudgement = null;
		List<EndpointHealth> fleet = this.endpoints.values().stream().map((endpoint) -> endpoint.health).toList();
		Map<Endpoint, String> before = new HashMap<>();
		this.endpoints.values().forEach((endpoint) -> before.put(endpoint, endpoint.health.reason()));
		for (EndpointHealth ejected : this.judge.judge(fleet, this.ticker.nanoTime())) {
			this.endpoints.values()
				.stream()
				.filter((endpoint) -> endpoint.health == ejected)
				.forEach((endpoint) -> endpoint.meters.ejections.increment());
		}
		before.forEach((endpoint, reason) -> JudgementLog.changed(this.target, endpoint.address, endpoint.weight, reason,
				endpoint.health.reason()));
		updateBalancingState();
		scheduleJudgement();
	}

	private void cancelJudgement() {
		if (this.nextJudgement != null) {
			this.nextJudgement.cancel();
			this.nextJudgement = null;
		}
	}

	private void updateBalancingState() {
		List<Endpoint> ready = new ArrayList<>();
		boolean connecting = false;
		Status failure = null;
		for (Endpoint endpoint : this.endpoints.values()) {
			ConnectivityState state = endpoint.state.getState();
			if (state == READY) {
				ready.add(endpoint);
			}
			else if (state == TRANSIENT_FAILURE) {
				failure = endpoint.state.getStatus();
			}
			else {
				connecting = true;
			}
		}
		if (!ready.isEmpty()) {
			update(READY, picker(ready));
		}
		else if (connecting || failure == null) {
			update(CONNECTING, new FixedPickers.EmptyPicker());
		}
		else {
			update(TRANSIENT_FAILURE, new FixedPickers.ErrorPicker(failure));
		}
	}

	/**
	 * The READY servers not ejected (all READY ones if every one is ejected), routed by their metadata
	 * and picked by effective weight.
	 */
	private SubchannelPicker picker(List<Endpoint> ready) {
		List<Endpoint> in = this.policy.adjustsWeights()
				? ready.stream().filter((endpoint) -> !endpoint.health.isEjected()).toList() : ready;
		Routes.Decision decision = Routes.route(this.endpoints.values(), in.isEmpty() ? ready : in, this.routing,
				this::weighted, this.serviceMeters);
		this.routingDecision = decision.description();
		return decision.picker();
	}

	private WeightedPicker weighted(List<Endpoint> in) {
		boolean adjusts = this.policy.adjustsWeights();
		int[] weights = new int[in.size()];
		double[] factors = new double[in.size()];
		for (int i = 0; i < weights.length; i++) {
			weights[i] = in.get(i).weight;
			factors[i] = adjusts ? Math.max(in.get(i).health.factor(), Double.MIN_NORMAL) : 1;
		}
		return new WeightedPicker(in.stream().map((endpoint) -> endpoint.subchannel).toList(),
				EffectiveWeights.of(weights, factors), in.stream().map((endpoint) -> endpoint.meters.picks).toArray(LongAdder[]::new),
				this.policy.enabled() ? in.stream().map((endpoint) -> endpoint.health.calls()).toArray(ClientStreamTracer.Factory[]::new)
						: null);
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
		long now = this.ticker.nanoTime();
		List<WeightBalancers.Backend> backends = new ArrayList<>();
		for (Endpoint endpoint : this.endpoints.values()) {
			EndpointHealth health = endpoint.health;
			boolean adjusts = this.policy.adjustsWeights();
			double factor = !adjusts ? 1 : health.isEjected() ? 0 : health.factor();
			endpoint.meters.effectiveWeight(endpoint.weight * factor);
			Instant ejectedUntil = (adjusts && health.isEjected())
					? Instant.now().plusNanos(health.ejectedUntilNanos() - now) : null;
			backends.add(new WeightBalancers.Backend(endpoint.address, endpoint.weight, endpoint.state.getState(),
					endpoint.meters, endpoint.weight * factor, adjusts ? health.reason() : "static weights", ejectedUntil,
					endpoint.metadata.values()));
		}
		this.snapshot = new WeightBalancers.Snapshot(this.target,
				(this.currentState != null) ? this.currentState : IDLE, backends, this.routingDecision);
	}

}
