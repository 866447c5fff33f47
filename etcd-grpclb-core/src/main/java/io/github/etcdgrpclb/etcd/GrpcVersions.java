package io.github.etcdgrpclb.etcd;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Checks that every grpc-java artifact on the class path has one version. Mixed versions (net.devh
 * 3.1 brings grpc 1.63, jetcd 0.8 grpc 1.82, this library 1.84) start, then fail far from the cause:
 * {@code AbstractMethodError ... buildClientTransportServers(java.util.List, io.grpc.MetricRecorder)}
 * when the server starts, or at the first call. Each artifact is recognised by one of its classes
 * and its jar's {@code Implementation-Version}.
 */
public final class GrpcVersions {

	/** A class of each artifact that may be on the class path; grpc-api and grpc-core always are. */
	private static final Map<String, String> MARKERS = markers();

	private GrpcVersions() {
	}

	private static Map<String, String> markers() {
		Map<String, String> markers = new LinkedHashMap<>();
		markers.put("grpc-api", "io.grpc.ManagedChannel");
		markers.put("grpc-core", "io.grpc.internal.GrpcUtil");
		markers.put("grpc-netty", "io.grpc.netty.NettyChannelBuilder");
		markers.put("grpc-netty-shaded", "io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder");
		markers.put("grpc-inprocess", "io.grpc.inprocess.InProcessChannelBuilder");
		markers.put("grpc-services", "io.grpc.protobuf.services.ProtoReflectionService");
		markers.put("grpc-stub", "io.grpc.stub.ClientCalls");
		markers.put("grpc-protobuf", "io.grpc.protobuf.ProtoUtils");
		markers.put("grpc-util", "io.grpc.util.MultiChildLoadBalancer");
		return markers;
	}

	/**
	 * @param classLoader the application's class loader
	 * @return artifact -> version of the grpc-java artifacts found whose jar names a version
	 */
	public static Map<String, String> found(ClassLoader classLoader) {
		Map<String, String> versions = new TreeMap<>();
		MARKERS.forEach((artifact, marker) -> {
			try {
				String version = Class.forName(marker, false, classLoader).getPackage().getImplementationVersion();
				if (version != null) {
					versions.put(artifact, version);
				}
			}
			catch (ClassNotFoundException | LinkageError ex) {
				// not on the class path
			}
		});
		return versions;
	}

	/**
	 * @param classLoader the application's class loader
	 * @throws IncompatibleGrpcException when the artifacts found have more than one version
	 */
	public static void check(ClassLoader classLoader) {
		Map<String, String> versions = found(classLoader);
		if (versions.values().stream().distinct().count() > 1) {
			throw new IncompatibleGrpcException(versions);
		}
	}

}
