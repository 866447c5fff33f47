package io.github.etcdgrpclb.spring.registry;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.etcd.jetcd.Client;
import io.github.etcdgrpclb.registry.RegistrationKeeper;
import io.github.etcdgrpclb.registry.RegistrationStatus;
import io.github.etcdgrpclb.registry.ServerRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ApplicationContextAware;
import org.springframework.context.ApplicationEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.core.env.Environment;

/**
 * Registers the application's HTTP port ({@code etcd.registry.http.enabled}) under the HTTP prefix
 * once the application is ready (both servers are up then: the gRPC port goes into its metadata), and
 * deregisters it when the application closes, before the web server stops, so that {@code lb://}
 * clients drop it while it still answers. The port is the one the web server bound
 * ({@code local.server.port}, set by either Boot line).
 */
class HttpRegistration implements ApplicationListener<ApplicationEvent>, ApplicationContextAware {

	private static final Logger logger = LoggerFactory.getLogger(HttpRegistration.class);

	private static final String GRPC_PORT = "gRPC_port";

	private final Client client;

	private final RegistryEntryFactory entries;

	private final String prefix;

	private final ServerRegistry grpcRegistrations;

	private final Environment environment;

	private ApplicationContext context;

	private volatile RegistrationKeeper keeper;

	HttpRegistration(Client client, RegistryEntryFactory entries, String prefix, ServerRegistry grpcRegistrations,
			Environment environment) {
		this.client = client;
		this.entries = entries;
		this.prefix = prefix;
		this.grpcRegistrations = grpcRegistrations;
		this.environment = environment;
	}

	@Override
	public void setApplicationContext(ApplicationContext context) {
		this.context = context;
	}

	@Override
	public void onApplicationEvent(ApplicationEvent event) {
		if (event instanceof ApplicationReadyEvent ready && ready.getApplicationContext() == this.context) {
			register();
		}
		else if (event instanceof ContextClosedEvent closed && closed.getApplicationContext() == this.context) {
			deregister();
		}
	}

	/** @return the HTTP registration, or null before the application was ready (or without a web server) */
	RegistrationStatus status() {
		RegistrationKeeper current = this.keeper;
		return (current != null) ? current.status() : null;
	}

	private synchronized void register() {
		Integer port = this.environment.getProperty("local.server.port", Integer.class);
		if (port == null || port <= 0) {
			logger.warn("etcd.registry.http.enabled is set, but the application runs no web server: no HTTP port registered");
			return;
		}
		Map<String, String> metadata = new LinkedHashMap<>();
		List<RegistrationStatus> grpc = this.grpcRegistrations.statuses();
		if (!grpc.isEmpty()) {
			metadata.put(GRPC_PORT, Integer.toString(grpc.get(0).registration().port()));
		}
		RegistrationKeeper started = new RegistrationKeeper(this.client, this.entries.create(this.prefix, port, metadata),
				this.entries.ttl());
		this.keeper = started;
		started.start();
	}

	private synchronized void deregister() {
		RegistrationKeeper current = this.keeper;
		if (current != null) {
			current.close();
			this.keeper = null;
		}
	}

}
