package io.github.etcdgrpclb.spring.registry;

/**
 * Tells the framework's gRPC services from the application's: services named {@code grpc.*}
 * (health, reflection, channelz) come with net.devh and Spring gRPC, even in a client-only
 * application, and make no server worth registering.
 */
final class FrameworkServices {

	private FrameworkServices() {
	}

	/**
	 * @param serviceName a gRPC service's full name, e.g. {@code grpc.health.v1.Health}
	 * @return whether the framework provides it
	 */
	static boolean isFramework(String serviceName) {
		return serviceName.startsWith("grpc.");
	}

}
