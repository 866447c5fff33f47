package io.github.etcdgrpclb.autoconfigure;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

import io.etcd.jetcd.Client;
import io.github.etcdgrpclb.registry.EtcdServiceRegistrar;
import io.github.etcdgrpclb.registry.RegistrationState;
import io.github.etcdgrpclb.registry.RegistrationStatus;
import io.github.etcdgrpclb.registry.ServiceRegistration;
import net.devh.boot.grpc.server.event.GrpcServerShutdownEvent;
import net.devh.boot.grpc.server.event.GrpcServerStartedEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ApplicationContextAware;
import org.springframework.context.ApplicationEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.event.ContextClosedEvent;

/**
 * Registers this application's gRPC server in etcd once it has bound its port, and deregisters it
 * before it stops serving.
 * <p>
 * net.devh's {@code GrpcServerLifecycle} has phase {@code Integer.MAX_VALUE}: it stops before any
 * other lifecycle, so deregistration cannot be one. It happens on {@link ContextClosedEvent}, which
 * Spring publishes before stopping lifecycles, or at the latest on {@link GrpcServerShutdownEvent},
 * published before the server shuts down; then the drain delay lets clients drop this address while
 * the server still accepts calls, and only then does the graceful gRPC shutdown begin.
 */
public class EtcdAutoServiceRegistration
		implements ApplicationListener<ApplicationEvent>, ApplicationContextAware, DisposableBean {

	private static final Logger logger = LoggerFactory.getLogger(EtcdAutoServiceRegistration.class);

	private static final Duration DEREGISTER_TIMEOUT = Duration.ofSeconds(3);

	private final Client client;

	private final ServiceRegistrationFactory registrations;

	private final Map<Integer, EtcdServiceRegistrar> registrars = new ConcurrentHashMap<>();

	private final AtomicBoolean drained = new AtomicBoolean();

	private ApplicationContext applicationContext;

	EtcdAutoServiceRegistration(Client client, ServiceRegistrationFactory registrations) {
		this.client = client;
		this.registrations = registrations;
	}

	@Override
	public void setApplicationContext(ApplicationContext applicationContext) {
		this.applicationContext = applicationContext;
	}

	@Override
	public void onApplicationEvent(ApplicationEvent event) {
		if (event instanceof GrpcServerStartedEvent started) {
			onServerStarted(started);
		}
		else if (event instanceof ContextClosedEvent closed && closed.getApplicationContext() == this.applicationContext) {
			deregisterAndDrain();
		}
		else if (event instanceof GrpcServerShutdownEvent) {
			deregisterAndDrain();
		}
	}

	private void onServerStarted(GrpcServerStartedEvent event) {
		if (event.getPort() <= 0 || event.getAddress().startsWith("in-process")) {
			logger.debug("Not registering gRPC server {} in etcd: it has no network port", event.getAddress());
			return;
		}
		ServiceRegistration registration = this.registrations.create(event.getPort());
		EtcdServiceRegistrar registrar = new EtcdServiceRegistrar(this.client, registration, this.registrations.ttl());
		EtcdServiceRegistrar previous = this.registrars.put(event.getPort(), registrar);
		if (previous != null) {
			previous.close();
		}
		this.drained.set(false);
		registrar.start();
	}

	/** @return the state of each registration of this application */
	public List<RegistrationStatus> statuses() {
		return this.registrars.values().stream().map(EtcdServiceRegistrar::status).toList();
	}

	/**
	 * Changes the published weight of this application's servers, on their current leases.
	 * @param weight the new weight, from 1 to {@code etcd.registry.max-weight}
	 * @throws IllegalArgumentException when the weight is out of range
	 */
	public void updateWeight(int weight) {
		int maxWeight = this.registrations.maxWeight();
		if (weight < 1 || weight > maxWeight) {
			throw new IllegalArgumentException("weight must be from 1 to " + maxWeight + ", was " + weight);
		}
		this.registrars.values().forEach((registrar) -> registrar.updateWeight(weight).join());
	}

	/** Deregisters every server now (e.g. to drain before maintenance); {@link #register()} undoes it. */
	public void deregister() {
		this.registrars.values().forEach((registrar) -> registrar.deregister(DEREGISTER_TIMEOUT));
	}

	/** Registers every server again after {@link #deregister()}. */
	public void register() {
		this.registrars.values().forEach(EtcdServiceRegistrar::start);
	}

	private void deregisterAndDrain() {
		if (!this.drained.compareAndSet(false, true)) {
			return;
		}
		boolean wasRegistered = statuses().stream().anyMatch((status) -> status.state() != RegistrationState.DEREGISTERED);
		deregister();
		Duration drainDelay = this.registrations.drainDelay();
		if (wasRegistered && !drainDelay.isZero()) {
			logger.info("Deregistered from etcd; waiting {} for clients to stop sending calls before shutdown",
					drainDelay);
			try {
				Thread.sleep(drainDelay.toMillis());
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
	}

	@Override
	public void destroy() {
		this.registrars.values().forEach(EtcdServiceRegistrar::close);
		this.registrars.clear();
	}

}
