package io.github.etcdgrpclb.spring.cloud;

import java.util.List;
import java.util.Locale;

import io.github.etcdgrpclb.registry.RegistrationState;
import io.github.etcdgrpclb.registry.RegistrationStatus;
import io.github.etcdgrpclb.registry.ServerRegistry;

import org.springframework.cloud.client.serviceregistry.ServiceRegistry;

/**
 * Spring Cloud's {@link ServiceRegistry} over this application's etcd registrations, for
 * {@code /actuator/serviceregistry} and code written against Spring Cloud: {@code OUT_OF_SERVICE}
 * drains the server (its keys are deleted, so clients stop sending new calls, while it keeps
 * serving), {@code UP} registers it again. The registrations themselves follow the gRPC server's
 * start and stop, as always; this only lets an operator take a running server out and back in.
 */
public class EtcdServiceRegistry implements ServiceRegistry<EtcdRegistration> {

	/** Registered, taking calls. */
	public static final String UP = "UP";

	/** Deregistered on purpose, still serving: drained. */
	public static final String OUT_OF_SERVICE = "OUT_OF_SERVICE";

	private final ServerRegistry registry;

	/** @param registry the application's registrations */
	public EtcdServiceRegistry(ServerRegistry registry) {
		this.registry = registry;
	}

	/** Registers the servers again (after {@link #deregister}); etcd may take as long as it is away. */
	@Override
	public void register(EtcdRegistration registration) {
		this.registry.register();
	}

	/** Deletes the servers' keys; they keep serving the clients that still call them. */
	@Override
	public void deregister(EtcdRegistration registration) {
		this.registry.deregister();
	}

	/** Nothing to close: the registrations end with the gRPC server. */
	@Override
	public void close() {
	}

	/**
	 * @param status {@code UP} (register again) or {@code OUT_OF_SERVICE} (drain), in any case
	 * @throws IllegalArgumentException for any other status
	 */
	@Override
	public void setStatus(EtcdRegistration registration, String status) {
		String wanted = (status != null) ? status.trim().toUpperCase(Locale.ROOT) : "";
		switch (wanted) {
			case UP -> this.registry.register();
			case OUT_OF_SERVICE -> this.registry.deregister();
			default -> throw new IllegalArgumentException("Unknown status '" + status + "': use " + UP
					+ " (register the server in etcd again) or " + OUT_OF_SERVICE + " (drain it: delete its key, keep serving)");
		}
	}

	/**
	 * @return {@code UP} while every server is registered, {@code OUT_OF_SERVICE} once they were taken
	 * out (here, or drained by an operator), else the registrations' state ({@code REGISTERING}, {@code RECONNECTING}: etcd is away), or
	 * {@code UNKNOWN} before a server started
	 */
	@Override
	public Object getStatus(EtcdRegistration registration) {
		List<RegistrationState> states = this.registry.statuses().stream().map(RegistrationStatus::state).distinct().toList();
		if (states.isEmpty()) {
			return "UNKNOWN";
		}
		if (states.size() > 1) {
			return states.toString();
		}
		return switch (states.get(0)) {
			case REGISTERED -> UP;
			case DEREGISTERED, DRAINED -> OUT_OF_SERVICE;
			default -> states.get(0).name();
		};
	}

}
