package io.github.etcdgrpclb.spring.registry;

import io.github.etcdgrpclb.registry.EtcdServerRegistry;
import io.grpc.Server;
import net.devh.boot.grpc.server.event.GrpcServerShutdownEvent;
import net.devh.boot.grpc.server.event.GrpcServerStartedEvent;

import org.springframework.context.ApplicationEvent;

/**
 * Registers net.devh's gRPC server: on {@link GrpcServerStartedEvent} with its bound port, and
 * deregisters at the latest on {@link GrpcServerShutdownEvent}.
 */
public class NetDevhServerRegistrationListener extends GrpcServerRegistrationListener {

	/** @param registrations the registrations to drive */
	public NetDevhServerRegistrationListener(EtcdServerRegistry registrations) {
		super(registrations, GrpcServerStartedEvent.class, GrpcServerShutdownEvent.class);
	}

	@Override
	protected int networkPort(ApplicationEvent started) {
		GrpcServerStartedEvent event = (GrpcServerStartedEvent) started;
		// net.devh reports "in-process:<name>" as the address of its in-process server.
		return event.getAddress().startsWith("in-process") ? 0 : Math.max(event.getPort(), 0);
	}

	@Override
	protected Server server(ApplicationEvent started) {
		return ((GrpcServerStartedEvent) started).getServer();
	}

}
