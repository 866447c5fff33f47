package io.github.etcdgrpclb.registry;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntFunction;

import io.etcd.jetcd.Client;
import io.github.etcdgrpclb.etcd.InstanceMetadata;
import io.github.etcdgrpclb.etcd.LeaseTtl;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The registrations of one application's gRPC servers, one registrar per bound port: started when a
 * server has bound its port, deregistered (then drained) before the servers stop serving. Framework
 * adapters call {@link #serverStarted} and {@link #deregisterAndDrain} from their server events;
 * a plain grpc-java application calls them around {@code server.start()} and {@code shutdown()}.
 */
public final class EtcdServerRegistry implements ServerRegistry, AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(EtcdServerRegistry.class);

	private static final Duration DEREGISTER_TIMEOUT = Duration.ofSeconds(3);

	private final Client client;

	/** Null when none is configured: a client-only application. */
	private final String serviceName;

	private final IntFunction<RegistryEntry> registrationForPort;

	private final Duration ttl;

	private final int maxWeight;

	private final Duration drainDelay;

	private final Map<Integer, RegistrationKeeper> registrars = new ConcurrentHashMap<>();

	private final AtomicBoolean drained = new AtomicBoolean();

	/**
	 * Creates the registrations of one application.
	 * @param client the etcd client (not closed here)
	 * @param serviceName the service name the registrations use, or null when none is configured
	 * @param registrationForPort what to publish for a server bound to a port
	 * @param ttl the lease TTL (at least 2 s)
	 * @param maxWeight the largest weight an operator may set
	 * @param drainDelay how long to wait after deregistering before the servers stop
	 */
	public EtcdServerRegistry(Client client, String serviceName, IntFunction<RegistryEntry> registrationForPort,
			Duration ttl, int maxWeight, Duration drainDelay) {
		LeaseTtl.check("Lease TTL", ttl);
		this.client = client;
		this.serviceName = serviceName;
		this.registrationForPort = registrationForPort;
		this.ttl = ttl;
		this.maxWeight = maxWeight;
		this.drainDelay = drainDelay;
	}

	/**
	 * Registers a server that has bound its port (the bound one: port 0 servers report the real port).
	 * @param port the bound port
	 */
	public void serverStarted(int port) {
		RegistrationKeeper registrar = new RegistrationKeeper(this.client, this.registrationForPort.apply(port),
				this.ttl);
		RegistrationKeeper previous = this.registrars.put(port, registrar);
		if (previous != null) {
			previous.close();
		}
		this.drained.set(false);
		registrar.start();
	}

	/**
	 * Deregisters every server and waits the drain delay, so that clients drop this address while the
	 * servers still accept calls; does it once per start, whichever shutdown signal comes first.
	 */
	public void deregisterAndDrain() {
		if (!this.drained.compareAndSet(false, true)) {
			return;
		}
		// Clients can only be calling a server that was registered (RECONNECTING: was, and its key may
		// still be listed); one that never got into etcd has nothing to drain.
		boolean wasRegistered = statuses().stream()
			.anyMatch((status) -> status.state() == RegistrationState.REGISTERED
					|| status.state() == RegistrationState.RECONNECTING);
		deregister();
		if (!wasRegistered || this.drainDelay.isZero()) {
			return;
		}
		logger.info("Deregistered from etcd; waiting {} for clients to stop sending calls before shutdown",
				this.drainDelay);
		try {
			Thread.sleep(this.drainDelay.toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	@Override
	public List<RegistrationStatus> statuses() {
		return this.registrars.values().stream().map(RegistrationKeeper::status).toList();
	}

	@Override
	public Optional<String> serviceName() {
		return Optional.ofNullable(this.serviceName);
	}

	@Override
	public int maxWeight() {
		return this.maxWeight;
	}

	@Override
	public void updateWeight(int weight) {
		if (weight < 1 || weight > this.maxWeight) {
			throw new IllegalArgumentException("weight must be from 1 to " + this.maxWeight + ", was " + weight);
		}
		this.registrars.values().forEach((registrar) -> registrar.updateWeight(weight).join());
	}

	@Override
	public void updateMetadata(Map<String, String> metadata) {
		InstanceMetadata checked = new InstanceMetadata(metadata);
		this.registrars.values().forEach((registrar) -> registrar.updateMetadata(checked).join());
	}

	@Override
	public void deregister() {
		this.registrars.values().forEach((registrar) -> registrar.deregister(DEREGISTER_TIMEOUT));
	}

	@Override
	public CompletableFuture<Void> register() {
		return CompletableFuture.allOf(this.registrars.values()
			.stream()
			.map(RegistrationKeeper::start)
			.toArray(CompletableFuture[]::new));
	}

	/** Deregisters every server and releases the registrars' threads. */
	@Override
	public void close() {
		this.registrars.values().forEach(RegistrationKeeper::close);
		this.registrars.clear();
	}

}
