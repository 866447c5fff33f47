package io.github.etcdgrpclb.spring.actuate;

import java.util.List;

import io.github.etcdgrpclb.registry.ServerRegistry;
import io.github.etcdgrpclb.balancer.AddressMeters;
import io.github.etcdgrpclb.balancer.ServiceMeters;
import io.github.etcdgrpclb.balancer.WeightBalancers;
import io.github.etcdgrpclb.discovery.DiscoveryStats;
import io.github.etcdgrpclb.discovery.EtcdNameResolverProvider;
import io.github.etcdgrpclb.registry.RegistrationState;
import io.github.etcdgrpclb.registry.RegistrationStatus;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.ObjectProvider;

/**
 * Meters of registration, discovery and balancing:
 * <ul>
 * <li>{@code grpclb.registrations} (gauge, tags {@code service}, {@code state}): this application's
 * registrations per state;</li>
 * <li>{@code grpclb.registration.reregistrations} (counter): registrations lost and made again;</li>
 * <li>{@code grpclb.resolver.updates}, {@code grpclb.resolver.malformed.entries},
 * {@code grpclb.resolver.errors} (counters);</li>
 * <li>{@code grpclb.resolver.instances} (gauge, tag {@code service}): instances per resolved service;</li>
 * <li>{@code grpclb.balancer.picks} (counter, tags {@code service}, {@code address}): calls the
 * {@code weight} balancer sent to each address; {@code service} is the etcd service name, as in
 * {@code grpclb.resolver.instances};</li>
 * <li>{@code grpclb.balancer.ejections} (counter, same tags): how often a channel ejected the address
 * for failing;</li>
 * <li>{@code grpclb.balancer.effective.weight} (gauge, same tags): etcd's weight times the health
 * factor the latest channel to judge the address gave it (0 while ejected);</li>
 * <li>{@code grpclb.balancer.zone.picks} (counter, tags {@code service}, {@code locality}: local or
 * cross-zone): calls to servers in the caller's zone (or in none) and to the others;</li>
 * <li>{@code grpclb.balancer.tag.fallbacks} (counter, tag {@code service}): tagged calls no ready
 * server with their tag could take.</li>
 * </ul>
 */
public class GrpclbMetrics implements MeterBinder, DisposableBean {

	private final ObjectProvider<ServerRegistry> registration;

	private final ObjectProvider<EtcdNameResolverProvider> resolvers;

	private final ObjectProvider<DiscoveryStats> discoveryStats;

	private volatile AutoCloseable balancerSubscription;

	public GrpclbMetrics(ObjectProvider<ServerRegistry> registration,
			ObjectProvider<EtcdNameResolverProvider> resolvers, ObjectProvider<DiscoveryStats> discoveryStats) {
		this.registration = registration;
		this.resolvers = resolvers;
		this.discoveryStats = discoveryStats;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		Tags registered = this.registration.stream()
			.flatMap((registrations) -> registrations.serviceName().stream())
			.findFirst()
			.map((name) -> Tags.of("service", name))
			.orElse(Tags.empty());
		for (RegistrationState state : RegistrationState.values()) {
			Gauge.builder("grpclb.registrations", () -> statuses().stream().filter((s) -> s.state() == state).count())
				.tags(registered)
				.tag("state", state.name())
				.description("This application's registrations in etcd, by state")
				.register(registry);
		}
		FunctionCounter.builder("grpclb.registration.reregistrations", this,
				(self) -> self.statuses().stream().mapToLong(RegistrationStatus::reRegistrations).sum())
			.description("Registrations lost (lease gone, key deleted) and made again")
			.register(registry);
		DiscoveryStats stats = this.discoveryStats.getIfAvailable();
		if (stats != null) {
			FunctionCounter.builder("grpclb.resolver.updates", stats, DiscoveryStats::updates)
				.description("Address lists the etcd resolvers pushed to their channels")
				.register(registry);
			FunctionCounter.builder("grpclb.resolver.malformed.entries", stats, DiscoveryStats::malformedEntries)
				.description("etcd entries skipped as malformed, each key counted once")
				.register(registry);
			FunctionCounter.builder("grpclb.resolver.errors", stats, DiscoveryStats::errors)
				.description("List or watch failures of the etcd resolvers")
				.register(registry);
			stats.onService((service) -> Gauge.builder("grpclb.resolver.instances", () -> instances(service))
				.tag("service", service)
				.description("Instances the etcd resolvers list for the service")
				.register(registry));
		}
		this.balancerSubscription = WeightBalancers.subscribe(new WeightBalancers.Listener() {

			@Override
			public void addressAdded(String service, String address, AddressMeters meters) {
				FunctionCounter.builder("grpclb.balancer.picks", meters, AddressMeters::picks)
					.tags("service", service, "address", address)
					.description("Calls the weight balancer sent to the address")
					.register(registry);
				FunctionCounter.builder("grpclb.balancer.ejections", meters, AddressMeters::ejections)
					.tags("service", service, "address", address)
					.description("How often a weight balancer ejected the address for failing")
					.register(registry);
				Gauge.builder("grpclb.balancer.effective.weight", meters, AddressMeters::effectiveWeight)
					.tags("service", service, "address", address)
					.description("etcd's weight of the address times its health factor (0 while ejected)")
					.register(registry);
			}

			@Override
			public void serviceAdded(String service, ServiceMeters meters) {
				for (boolean local : new boolean[] { true, false }) {
					FunctionCounter.builder("grpclb.balancer.zone.picks", service,
							(name) -> WeightBalancers.zonePicks(name, local))
						.tags("service", service, "locality", local ? "local" : "cross-zone")
						.description("Calls to servers in the caller's zone (or in none), and to the others")
						.register(registry);
				}
				FunctionCounter.builder("grpclb.balancer.tag.fallbacks", meters, ServiceMeters::tagFallbacks)
					.tag("service", service)
					.description("Tagged calls that no ready server with their tag could take")
					.register(registry);
			}

			@Override
			public void serviceRemoved(String service) {
				for (String name : List.of("grpclb.balancer.zone.picks", "grpclb.balancer.tag.fallbacks")) {
					registry.find(name).tags("service", service).meters().forEach(registry::remove);
				}
			}

			@Override
			public void addressRemoved(String service, String address) {
				for (String name : List.of("grpclb.balancer.picks", "grpclb.balancer.ejections",
						"grpclb.balancer.effective.weight")) {
					registry.find(name).tags("service", service, "address", address).meters().forEach(registry::remove);
				}
			}

		});
	}

	@Override
	public void destroy() throws Exception {
		AutoCloseable subscription = this.balancerSubscription;
		if (subscription != null) {
			subscription.close();
		}
	}

	private List<RegistrationStatus> statuses() {
		ServerRegistry registration = this.registration.getIfAvailable();
		return (registration != null) ? registration.statuses() : List.of();
	}

	private int instances(String service) {
		return this.resolvers.orderedStream()
			.flatMap((provider) -> provider.targets().stream())
			.filter((resolved) -> resolved.serviceName().equals(service))
			.mapToInt((resolved) -> resolved.instances().size())
			.max()
			.orElse(0);
	}

}
