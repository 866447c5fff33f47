package io.github.etcdgrpclb.balancer;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import io.grpc.ConnectivityState;

/**
 * The {@code weight} balancers alive in this JVM, for the actuator endpoint and the metrics. Balancers
 * are created by grpc-java's registry, not by Spring, hence a process-wide registry. Each balancer
 * publishes an immutable snapshot after every change (in its SynchronizationContext); readers take
 * it from any thread.
 */
public final class WeightBalancers {

	private static final Set<WeightLoadBalancer> live = ConcurrentHashMap.newKeySet();

	private static final List<Listener> listeners = new CopyOnWriteArrayList<>();

	private static final Map<AddressId, SharedMeters> counters = new HashMap<>();

	private static final Map<String, SharedServiceMeters> services = new HashMap<>();

	private WeightBalancers() {
	}

	/** @return the latest snapshot of each live balancer */
	public static List<Snapshot> snapshots() {
		return live.stream().map(WeightLoadBalancer::snapshot).toList();
	}

	/**
	 * Tells the listener of every address balanced to from now on, after telling it of those there
	 * are.
	 * @return closes the subscription
	 */
	public static AutoCloseable subscribe(Listener listener) {
		synchronized (counters) {
			listeners.add(listener);
			counters.forEach((id, shared) -> listener.addressAdded(id.service(), id.address(), shared.meters));
			services.forEach((service, shared) -> listener.serviceAdded(service, shared.meters));
		}
		return () -> listeners.remove(listener);
	}

	static void started(WeightLoadBalancer balancer) {
		live.add(balancer);
	}

	static void stopped(WeightLoadBalancer balancer) {
		live.remove(balancer);
	}

	/**
	 * The meters of an address of a service, shared by every channel of the JVM to that service, so
	 * that its picks only grow while any of them uses the address (a channel closing does not make
	 * them go down); forgotten when the last one stops using it.
	 */
	static AddressMeters useMeters(String service, String address) {
		synchronized (counters) {
			AddressId id = new AddressId(service, address);
			SharedMeters shared = counters.computeIfAbsent(id, (key) -> new SharedMeters());
			if (shared.users++ == 0) {
				listeners.forEach((listener) -> listener.addressAdded(service, address, shared.meters));
			}
			return shared.meters;
		}
	}

	static void releaseMeters(String service, String address) {
		synchronized (counters) {
			AddressId id = new AddressId(service, address);
			SharedMeters counter = counters.get(id);
			if (counter != null && --counter.users == 0) {
				counters.remove(id);
				listeners.forEach((listener) -> listener.addressRemoved(service, address));
			}
		}
	}

	/**
	 * The routing meters of a service, shared by every channel of the JVM to it; forgotten when the
	 * last one stops.
	 */
	static ServiceMeters useServiceMeters(String service) {
		synchronized (counters) {
			SharedServiceMeters shared = services.computeIfAbsent(service, (key) -> new SharedServiceMeters());
			if (shared.users++ == 0) {
				listeners.forEach((listener) -> listener.serviceAdded(service, shared.meters));
			}
			return shared.meters;
		}
	}

	static void releaseServiceMeters(String service) {
		synchronized (counters) {
			SharedServiceMeters shared = services.get(service);
			if (shared != null && --shared.users == 0) {
				services.remove(service);
				listeners.forEach((listener) -> listener.serviceRemoved(service));
			}
		}
	}

	/**
	 * @param service an etcd service name
	 * @param local whether to count the picks of addresses in the caller's zone (or in none), or the others
	 * @return the picks of this JVM's channels to the service's addresses in (or out of) the caller's zone
	 */
	public static long zonePicks(String service, boolean local) {
		synchronized (counters) {
			SharedServiceMeters shared = services.get(service);
			String callerZone = (shared != null) ? shared.meters.callerZone() : null;
			long picks = 0;
			for (Map.Entry<AddressId, SharedMeters> entry : counters.entrySet()) {
				if (entry.getKey().service().equals(service)) {
					String zone = entry.getValue().meters.zone();
					boolean inZone = callerZone == null || zone == null || zone.equals(callerZone);
					if (inZone == local) {
						picks += entry.getValue().meters.picks();
					}
				}
			}
			return picks;
		}
	}

	/** Told of the addresses balanced to, for per-address meters. */
	public interface Listener {

		/**
		 * @param service the etcd service name (the channel authority for other resolvers)
		 * @param address {@code host:port}
		 * @param meters its live meters
		 */
		void addressAdded(String service, String address, AddressMeters meters);

		void addressRemoved(String service, String address);

		/**
		 * @param service the etcd service name
		 * @param meters its live routing meters
		 */
		default void serviceAdded(String service, ServiceMeters meters) {
		}

		default void serviceRemoved(String service) {
		}

	}

	private record AddressId(String service, String address) {
	}

	private static final class SharedServiceMeters {

		final ServiceMeters meters = new ServiceMeters();

		int users;

	}

	private static final class SharedMeters {

		final AddressMeters meters = new AddressMeters();

		int users;

	}

	/**
	 * One balancer's view.
	 * @param target the channel's authority (the service name)
	 * @param state the channel's balancing state
	 * @param backends one per address
	 * @param routing where its untagged calls go and why (zone, spill-over, tags)
	 */
	public record Snapshot(String target, ConnectivityState state, List<Backend> backends, String routing) {

		public Snapshot(String target, ConnectivityState state, List<Backend> backends) {
			this(target, state, backends, null);
		}

	}

	/**
	 * One address of a balancer.
	 * @param address the address, {@code host:port}
	 * @param weight its weight in etcd
	 * @param state its subchannel's state
	 * @param meters its live meters: how often the pickers of this JVM's channels to the target chose it
	 * @param effectiveWeight what the balancer weighs it by: etcd's weight times its health factor, 0
	 * while ejected
	 * @param health why ("healthy", "ejected: ...", "slowed to ...", "warming up: ...")
	 * @param ejectedUntil when its ejection ends, or null
	 * @param metadata what the server published of itself (zone, version, tags)
	 */
	public record Backend(String address, int weight, ConnectivityState state, AddressMeters meters,
			double effectiveWeight, String health, Instant ejectedUntil, Map<String, String> metadata) {

		public Backend(String address, int weight, ConnectivityState state, AddressMeters meters,
				double effectiveWeight, String health, Instant ejectedUntil) {
			this(address, weight, state, meters, effectiveWeight, health, ejectedUntil, Map.of());
		}

		/** @return how many calls were sent to it */
		public long pickCount() {
			return this.meters.picks();
		}

	}

}
