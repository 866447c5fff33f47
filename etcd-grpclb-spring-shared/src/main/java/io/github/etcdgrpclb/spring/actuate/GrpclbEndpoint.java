package io.github.etcdgrpclb.spring.actuate;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import io.github.etcdgrpclb.balancer.WeightBalancers;
import io.github.etcdgrpclb.spring.config.EtcdConfigRefresher;
import io.github.etcdgrpclb.spring.config.RejectedValues;
import io.github.etcdgrpclb.discovery.EtcdNameResolverProvider;
import io.github.etcdgrpclb.discovery.ResolvedTarget;
import io.github.etcdgrpclb.discovery.ServiceInstance;
import io.github.etcdgrpclb.etcd.InstanceMetadata;
import io.github.etcdgrpclb.election.LeadershipTerm;
import io.github.etcdgrpclb.spring.election.EtcdLeadership;
import io.github.etcdgrpclb.lock.EtcdLockTemplate;
import io.github.etcdgrpclb.registry.RegistrationStatus;
import io.github.etcdgrpclb.registry.ServerRegistry;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.lang.Nullable;

/**
 * {@code /actuator/grpclb}: what this application registered in etcd, the targets it resolves with
 * their instances, the locks it holds, its election and the configuration folders it imported from
 * etcd (revision, key count, last change). Writes change this server's weight live or take it out
 * of (and back into) etcd for draining: {@code POST {"weight": 4}}, {@code POST {"registered":
 * false}}. Only service data: never endpoints' credentials or key material.
 */
@Endpoint(id = "grpclb")
public class GrpclbEndpoint {

	private static final int REGISTER_WAIT_SECONDS = 3;

	/** WebEndpointResponse names no constant for 409. */
	private static final int STATUS_CONFLICT = 409;

	private final ObjectProvider<ServerRegistry> registration;

	private final ObjectProvider<EtcdNameResolverProvider> resolvers;

	private final ObjectProvider<EtcdLockTemplate> locks;

	private final ObjectProvider<EtcdLeadership> leadership;

	private final ObjectProvider<EtcdConfigRefresher> configuration;

	public GrpclbEndpoint(ObjectProvider<ServerRegistry> registration,
			ObjectProvider<EtcdNameResolverProvider> resolvers, ObjectProvider<EtcdLockTemplate> locks,
			ObjectProvider<EtcdLeadership> leadership, ObjectProvider<EtcdConfigRefresher> configuration) {
		this.registration = registration;
		this.resolvers = resolvers;
		this.locks = locks;
		this.leadership = leadership;
		this.configuration = configuration;
	}

	@ReadOperation
	public GrpclbDescriptor grpclb() {
		List<Registration> registrations = new ArrayList<>();
		this.registration.ifAvailable((r) -> r.statuses().stream().map(Registration::of).forEach(registrations::add));
		Map<String, WeightBalancers.Snapshot> balancers = WeightBalancers.snapshots()
			.stream()
			.collect(Collectors.toMap(WeightBalancers.Snapshot::target, (s) -> s, (a, b) -> a));
		List<Target> targets = this.resolvers.orderedStream()
			.flatMap((provider) -> provider.targets().stream()
				.map((target) -> Target.of(provider.getDefaultScheme(), target, balancers)))
			.sorted(Comparator.comparing(Target::target))
			.toList();
		List<HeldLock> held = new ArrayList<>();
		this.locks.ifAvailable((template) -> template.heldLocks()
			.forEach((lock) -> held.add(new HeldLock(lock.name(), lock.key(), lock.token(), lock.since(), lock.isValid()))));
		List<Election> elections = new ArrayList<>();
		this.leadership.ifAvailable((leadership) -> {
			if (leadership.isCampaigning()) {
				elections.add(Election.of(leadership));
			}
		});
		List<ConfigFolder> configuration = new ArrayList<>();
		this.configuration.ifAvailable((refresher) -> configuration.addAll(ConfigFolder.of(refresher)));
		return new GrpclbDescriptor(registrations, targets, held, elections, configuration);
	}

	/**
	 * Changes this server's registration. Answers 400 with a reason for a bad request, 409 when the
	 * application registers no server, and otherwise the registrations after the change (a
	 * registration asked for waits up to {@value #REGISTER_WAIT_SECONDS} s for etcd; a state still
	 * REGISTERING then means it is under way).
	 * @param weight the new weight, published on the same lease (optional)
	 * @param registered false deregisters every server of this application (drain), true registers
	 * them again (optional)
	 * @param metadata the new metadata (zone, version, tags...), replacing the old, as
	 * {@code "zone=eu-1b;tags=canary,v2"} or as a JSON object in a string; {@code ""} removes it
	 * (optional; actuator reads only flat bodies, so it is one string)
	 * @return the registrations afterwards, or {@code {"error": reason}}
	 */
	@WriteOperation
	public WebEndpointResponse<Object> update(@Nullable String weight, @Nullable String registered,
			@Nullable String yieldLeadership, @Nullable String metadata) {
		if (yieldLeadership != null && weight == null && registered == null && metadata == null) {
			return yieldLeadership(yieldLeadership.trim());
		}
		ServerRegistry registrations = this.registration.getIfAvailable();
		if (registrations == null) {
			return error(STATUS_CONFLICT, "This application registers no gRPC server in etcd "
					+ "(a client only, or etcd.registry.enabled=false): there is no weight or registration to change");
		}
		if (weight == null && registered == null && metadata == null) {
			return error(WebEndpointResponse.STATUS_BAD_REQUEST, "Give {\"weight\": 1.." + registrations.maxWeight()
					+ "}, {\"registered\": true|false}, {\"metadata\": \"zone=eu-1a\"} or {\"yieldLeadership\": true}");
		}
		Integer newWeight = (weight != null) ? parseWeight(weight.trim(), registrations.maxWeight()) : null;
		Boolean register = (registered != null) ? parseBoolean(registered.trim()) : null;
		if (weight != null && newWeight == null) {
			return error(WebEndpointResponse.STATUS_BAD_REQUEST,
					"weight must be an integer from 1 to " + registrations.maxWeight() + ", was " + weight);
		}
		if (registered != null && register == null) {
			return error(WebEndpointResponse.STATUS_BAD_REQUEST, "registered must be true or false, was " + registered);
		}
		Map<String, String> newMetadata = null;
		if (metadata != null) {
			try {
				newMetadata = parseMetadata(metadata.trim());
			}
			catch (IllegalArgumentException ex) {
				return error(WebEndpointResponse.STATUS_BAD_REQUEST, "metadata must be \"key=value;key=value\" "
						+ "(e.g. \"zone=eu-1b;tags=canary,v2\") or a JSON object, was " + metadata + ": " + ex.getMessage());
			}
		}
		if (newWeight != null) {
			registrations.updateWeight(newWeight);
		}
		if (newMetadata != null) {
			registrations.updateMetadata(newMetadata);
		}
		if (Boolean.FALSE.equals(register)) {
			registrations.deregister();
		}
		else if (Boolean.TRUE.equals(register)) {
			registrations.register().completeOnTimeout(null, REGISTER_WAIT_SECONDS, TimeUnit.SECONDS).join();
		}
		return new WebEndpointResponse<>(registrations.statuses().stream().map(Registration::of).toList());
	}

	private WebEndpointResponse<Object> yieldLeadership(String value) {
		EtcdLeadership leadership = this.leadership.getIfAvailable();
		if (leadership == null) {
			return error(STATUS_CONFLICT, "This application takes part in no election (etcd.leader.enabled=false)");
		}
		if (!"true".equalsIgnoreCase(value)) {
			return error(WebEndpointResponse.STATUS_BAD_REQUEST, "yieldLeadership must be true, was " + value);
		}
		leadership.yieldLeadership().completeOnTimeout(null, REGISTER_WAIT_SECONDS, TimeUnit.SECONDS).join();
		return new WebEndpointResponse<>(Election.of(leadership));
	}

	private static Integer parseWeight(String weight, int maxWeight) {
		try {
			int value = Integer.parseInt(weight);
			return (value >= 1 && value <= maxWeight) ? value : null;
		}
		catch (NumberFormatException ex) {
			return null;
		}
	}

	/** @return {@code key=value;key=value} or a JSON object as metadata; blank: none */
	private static Map<String, String> parseMetadata(String text) {
		if (text.startsWith("{")) {
			return InstanceMetadata.parse(text).values();
		}
		Map<String, String> values = new LinkedHashMap<>();
		for (String pair : text.split(";")) {
			if (pair.isBlank()) {
				continue;
			}
			int equals = pair.indexOf('=');
			if (equals <= 0 || pair.substring(0, equals).isBlank()) {
				throw new IllegalArgumentException("'" + pair.trim() + "' is not key=value");
			}
			values.put(pair.substring(0, equals).trim(), pair.substring(equals + 1).trim());
		}
		return values;
	}

	private static Boolean parseBoolean(String value) {
		return switch (value.toLowerCase(Locale.ROOT)) {
			case "true" -> Boolean.TRUE;
			case "false" -> Boolean.FALSE;
			default -> null;
		};
	}

	private static WebEndpointResponse<Object> error(int status, String reason) {
		return new WebEndpointResponse<>(Map.of("error", reason), status);
	}

	/** The endpoint's answer. */
	public record GrpclbDescriptor(List<Registration> registrations, List<Target> targets, List<HeldLock> locks,
			List<Election> elections, List<ConfigFolder> configuration) {

	}

	/**
	 * One server registration, with the metadata it publishes beside its key; {@code weight} is the
	 * published one, and {@code operatorOverride} (null when none) says what an operator changed.
	 */
	public record Registration(String service, String key, String address, int weight, Map<String, String> metadata,
			String leaseId, long ttlSeconds, String state, Instant lastKeepAlive, long reRegistrations,
			String lastError, Instant lastErrorAt, String operatorOverride) {

		static Registration of(RegistrationStatus status) {
			return new Registration(status.registration().serviceName(), status.registration().key(),
					status.registration().address(), status.registration().weight(),
					status.registration().metadata().values(),
					(status.leaseId() != 0) ? Long.toHexString(status.leaseId()) : null, status.ttl().toSeconds(),
					status.state().name(), status.lastKeepAlive(), status.reRegistrations(), status.lastError(),
					status.lastErrorAt(),
					status.operatorOverride().isNone() ? null : status.operatorOverride().describe());
		}

	}

	/**
	 * One resolved target and its instances; {@code state} IDLE means the channel is idle (no watch),
	 * and the instances and lastUpdate are what it last knew.
	 */
	public record Target(String target, String keyPrefix, String state, Instant lastUpdate, String balancerState,
			String routing, List<Instance> instances) {

		static Target of(String scheme, ResolvedTarget target, Map<String, WeightBalancers.Snapshot> balancers) {
			WeightBalancers.Snapshot balancer = balancers.get(target.authority());
			Map<String, WeightBalancers.Backend> backends = (balancer != null)
					? balancer.backends().stream().collect(Collectors.toMap(WeightBalancers.Backend::address, (b) -> b, (a, b) -> a))
					: Map.of();
			// The resolver keeps etcd's order of arrival; people read addresses sorted.
			List<Instance> instances = target.instances().stream()
				.sorted(Comparator.comparing(ServiceInstance::key))
				.map((instance) -> Instance.of(instance, backends.get(instance.address())))
				.toList();
			return new Target(scheme + ":///" + target.serviceName(), target.keyPrefix(), target.state().name(),
					target.lastUpdate(), (balancer != null) ? balancer.state().name() : null,
					(balancer != null) ? balancer.routing() : null, instances);
		}

	}

	/**
	 * One instance of a target: its weight in etcd; from the {@code weight} balancer, when it is used,
	 * its state, picks, the weight it balances by (etcd's times the health factor, 0 while ejected)
	 * and why ({@code health}: healthy, ejected, slowed, warming up).
	 */
	public record Instance(String address, int weight, Map<String, String> metadata, String state, Long picks,
			Double effectiveWeight, String health, Instant ejectedUntil) {

		static Instance of(ServiceInstance instance, @Nullable WeightBalancers.Backend backend) {
			Map<String, String> metadata = instance.metadata().values();
			if (backend == null) {
				return new Instance(instance.address(), instance.weight(), metadata, null, null, null, null, null);
			}
			return new Instance(instance.address(), instance.weight(), metadata, backend.state().name(),
					backend.pickCount(), Math.round(backend.effectiveWeight() * 1000) / 1000.0, backend.health(),
					backend.ejectedUntil());
		}

	}

	/** The election this application takes part in, as it sees it. */
	public record Election(String name, String candidateId, String leader, String role, Instant since, Long token) {

		static Election of(EtcdLeadership leadership) {
			LeadershipTerm term = leadership.term();
			return new Election(leadership.election(), leadership.candidateId(), leadership.leader(),
					(term != null) ? "LEADER" : "FOLLOWER", (term != null) ? term.since() : null,
					(term != null) ? term.token() : null);
		}

	}

	/**
	 * One imported configuration folder, with the beans that refused its latest values and run on their
	 * old ones (an instance started now with these values would fail to start).
	 */
	public record ConfigFolder(String folder, long revision, int keys, Instant lastChange, boolean connected,
			String lastError, List<RejectedValues> rejected) {

		static List<ConfigFolder> of(EtcdConfigRefresher refresher) {
			List<RejectedValues> rejected = refresher.rejectedValues();
			return refresher.folders()
				.stream()
				.map((status) -> new ConfigFolder(status.folder(), status.revision(), status.keys(), status.lastChange(),
						status.connected(), status.lastError(),
						rejected.stream().filter((values) -> values.folder().equals(status.folder())).toList()))
				.toList();
		}

	}

	/** A lock this application holds. */
	public record HeldLock(String name, String key, long token, Instant since, boolean valid) {

	}

}
