package io.github.etcdgrpclb.spring.registry;

import io.github.etcdgrpclb.registry.EtcdServerRegistry;
import io.grpc.Server;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.ApplicationContext;
import org.springframework.context.ApplicationContextAware;
import org.springframework.context.ApplicationEvent;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.context.event.SmartApplicationListener;

/**
 * Drives the registrations from a gRPC server's lifecycle events: registers once the server has
 * bound its port, deregisters (and drains) before it stops serving.
 * <p>
 * Both net.devh's and Spring gRPC's {@code GrpcServerLifecycle} have phase {@code Integer.MAX_VALUE}:
 * the server stops before any other lifecycle, so deregistration cannot be one. It happens on
 * {@link ContextClosedEvent}, which Spring publishes before stopping lifecycles, or at the latest on
 * the server's shutdown event, published before the server shuts down; then the drain delay lets
 * clients drop this address while the server still accepts calls. Each Spring line names its events.
 */
public abstract class GrpcServerRegistrationListener implements SmartApplicationListener, ApplicationContextAware {

	private static final Logger logger = LoggerFactory.getLogger(GrpcServerRegistrationListener.class);

	private final EtcdServerRegistry registrations;

	private final Class<? extends ApplicationEvent> startedEvent;

	private final Class<? extends ApplicationEvent> shutdownEvent;

	private ApplicationContext applicationContext;

	/**
	 * @param registrations the registrations to drive
	 * @param startedEvent the event published once the server has bound its port
	 * @param shutdownEvent the event published before the server shuts down
	 */
	protected GrpcServerRegistrationListener(EtcdServerRegistry registrations,
			Class<? extends ApplicationEvent> startedEvent, Class<? extends ApplicationEvent> shutdownEvent) {
		this.registrations = registrations;
		this.startedEvent = startedEvent;
		this.shutdownEvent = shutdownEvent;
	}

	/**
	 * @param started a started event of this line's gRPC server
	 * @return the port it bound, or 0 when it has no network port (an in-process server)
	 */
	protected abstract int networkPort(ApplicationEvent started);

	/**
	 * @param started a started event of this line's gRPC server
	 * @return the server
	 */
	protected abstract Server server(ApplicationEvent started);

	@Override
	public void setApplicationContext(ApplicationContext applicationContext) {
		this.applicationContext = applicationContext;
	}

	@Override
	public boolean supportsEventType(Class<? extends ApplicationEvent> eventType) {
		return this.startedEvent.isAssignableFrom(eventType) || this.shutdownEvent.isAssignableFrom(eventType)
				|| ContextClosedEvent.class.isAssignableFrom(eventType);
	}

	@Override
	public void onApplicationEvent(ApplicationEvent event) {
		if (this.startedEvent.isInstance(event)) {
			int port = networkPort(event);
			if (port <= 0) {
				logger.debug("Not registering a gRPC server in etcd: it has no network port");
			}
			else if (!servesTheApplication(server(event))) {
				// A client-only application: net.devh starts its server anyway, with health and reflection.
				logger.info("Not registering the gRPC server on port {} in etcd: it serves no service of this "
						+ "application (only grpc.* services)", port);
			}
			else {
				this.registrations.serverStarted(port);
			}
		}
		else if (this.shutdownEvent.isInstance(event) || isOurContextClosing(event)) {
			this.registrations.deregisterAndDrain();
		}
	}

	private static boolean servesTheApplication(Server server) {
		return server.getServices()
			.stream()
			.anyMatch((service) -> !FrameworkServices.isFramework(service.getServiceDescriptor().getName()));
	}

	private boolean isOurContextClosing(ApplicationEvent event) {
		return event instanceof ContextClosedEvent closed && closed.getApplicationContext() == this.applicationContext;
	}

}
