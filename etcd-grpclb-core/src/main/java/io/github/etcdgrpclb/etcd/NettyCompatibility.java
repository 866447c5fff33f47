package io.github.etcdgrpclb.etcd;

import java.util.Map;

/**
 * Checks that the classpath has the Netty that jetcd needs. jetcd 0.8 runs on Vert.x 5, which needs
 * Netty 4.2; with Netty 4.1 (Spring Boot 3.5's default) key-value calls work but lease keep-alive dies
 * with {@code NoClassDefFoundError: io/netty/channel/MultiThreadIoEventLoopGroup}, so registrations
 * and locks would expire silently. Failing at startup is the kinder outcome.
 */
public final class NettyCompatibility {

	static final String NETTY_42_MARKER = "io.netty.channel.MultiThreadIoEventLoopGroup";

	private NettyCompatibility() {
	}

	/**
	 * Checks the Netty on the given class loader.
	 * @param classLoader the application's class loader
	 * @throws IncompatibleNettyException when Netty is older than 4.2
	 */
	public static void check(ClassLoader classLoader) {
		try {
			Class.forName(NETTY_42_MARKER, false, classLoader);
		}
		catch (ClassNotFoundException | LinkageError ex) {
			throw new IncompatibleNettyException(detectedVersion(classLoader));
		}
	}

	private static String detectedVersion(ClassLoader classLoader) {
		try {
			Map<String, io.netty.util.Version> versions = io.netty.util.Version.identify(classLoader);
			io.netty.util.Version common = versions.get("netty-common");
			return (common != null) ? common.artifactVersion() : "unknown";
		}
		catch (LinkageError ex) {
			return "unknown";
		}
	}

}
