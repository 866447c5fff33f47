package io.github.etcdgrpclb.etcd;

import java.util.Map;
import java.util.stream.Collectors;

/**
 * The class path mixes grpc-java versions; the message lists each artifact with its version.
 */
public class IncompatibleGrpcException extends IllegalStateException {

	private static final long serialVersionUID = 1L;

	private final Map<String, String> versions;

	/** @param versions artifact -> version, as found */
	public IncompatibleGrpcException(Map<String, String> versions) {
		super("The class path mixes grpc-java versions: " + versions.entrySet()
			.stream()
			.map((entry) -> "io.grpc:" + entry.getKey() + ":" + entry.getValue())
			.collect(Collectors.joining(", ")) + ". Mixed, they fail at startup or at the first call "
				+ "(AbstractMethodError, NoSuchMethodError).");
		this.versions = Map.copyOf(versions);
	}

	/** @return artifact -> version, as found */
	public Map<String, String> versions() {
		return this.versions;
	}

	/** @return the highest version found (the one to align on) */
	public String newest() {
		return this.versions.values().stream().max(GrpcVersionOrder.INSTANCE).orElse("");
	}

}
