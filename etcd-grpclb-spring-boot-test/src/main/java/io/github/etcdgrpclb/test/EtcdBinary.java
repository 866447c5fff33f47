package io.github.etcdgrpclb.test;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Finds the {@code etcd} executable: the {@code ETCD_BINARY} environment variable or system property
 * first, then the directories of the {@code PATH}.
 */
public final class EtcdBinary {

	/** Name of the environment variable (and system property) that points at the binary. */
	public static final String ENV = "ETCD_BINARY";

	static final String INSTALL_HINT = "Install etcd (Debian/Ubuntu: 'apt-get install -y etcd-server'; "
			+ "macOS: 'brew install etcd'), or point " + ENV + " at the etcd executable";

	private EtcdBinary() {
	}

	/**
	 * Locates the etcd executable.
	 * @return the binary, or empty when none is installed
	 */
	public static Optional<Path> find() {
		String configured = System.getProperty(ENV, System.getenv(ENV));
		if (configured != null && !configured.isBlank()) {
			Path path = Path.of(configured);
			if (!Files.isExecutable(path)) {
				throw new IllegalStateException(ENV + "=" + configured + " is not an executable file. " + INSTALL_HINT);
			}
			return Optional.of(path);
		}
		String pathVariable = System.getenv().getOrDefault("PATH", "");
		for (String dir : pathVariable.split(File.pathSeparator)) {
			Path candidate = Path.of(dir.isEmpty() ? "." : dir, "etcd");
			if (Files.isExecutable(candidate)) {
				return Optional.of(candidate);
			}
		}
		return Optional.empty();
	}

}
