package io.github.etcdgrpclb.spring.registry;

import io.github.etcdgrpclb.registry.EtcdServerRegistry;
import io.grpc.Server;

import org.springframework.context.ApplicationEvent;
import org.springframework.grpc.server.lifecycle.GrpcServerShutdownEvent;
import org.springframework.grpc.server.lifecycle.GrpcServerStartedEvent;

/**
 * Registers Spring Boot's gRPC server: on Spring gRPC's {@link GrpcServerStartedEvent} with its
 * bound port, and deregisters at the latest on {@link GrpcServerShutdownEvent}.
 */
public class SpringGrpcServerRegistrationListener extends GrpcServerRegistrationListener {

	/** @param registrations the registrations to drive */
	public SpringGrpcServerRegistrationListener(EtcdServerRegistry registrations) {
		super(registrations, GrpcServerStartedEvent.class, GrpcServerShutdownEvent.class);
	}

	@Override
	protected int networkPort(ApplicationEvent started) {
		// An in-process server reports no port (-1).
		return Math.max(((GrpcServerStartedEvent) started).getPort(), 0);
	}

	@Override
	protected Server server(ApplicationEvent started) {
		return ((GrpcServerStartedEvent) started).getServer();
	}

}
