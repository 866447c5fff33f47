package io.github.etcdgrpclb.test;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds the {@code etcd} executable: the {@code ETCD_BINARY} environment variable or system property
 * first, then the directories of the {@code PATH}.
 */
public final class EtcdBinary {

	/** Name of the environment variable (and system property) that points at the binary. */
	public static final String ENV = "ETCD_BINARY";

	static final String INSTALL_HINT = "Install etcd (Debian/Ubuntu: 'apt-get install -y etcd-server'; "
			+ "macOS: 'brew install etcd'), or point " + ENV + " at the etcd executable";

	private static volatile String version;

	private EtcdBinary() {
	}

	/**
	 * @return the version of the etcd binary the tests run ({@code etcd --version}), e.g. {@code 3.5.16},
	 * or "unknown"
	 */
	public static String version() {
		String known = version;
		if (known == null) {
			known = find().map(EtcdBinary::askVersion).orElse("unknown");
			version = known;
		}
		return known;
	}

	private static String askVersion(Path binary) {
		try {
			Process process = new ProcessBuilder(binary.toString(), "--version").redirectErrorStream(true).start();
			String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			process.waitFor(10, TimeUnit.SECONDS);
			Matcher matcher = Pattern.compile("etcd Version: (\\S+)").matcher(output);
			return matcher.find() ? matcher.group(1) : "unknown";
		}
		catch (IOException ex) {
			return "unknown";
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return "unknown";
		}
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
