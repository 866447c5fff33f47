package io.github.etcdgrpclb.registry;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Picks the address a server advertises when none is configured: the first IPv4 address of the
 * lowest-index network interface that is up, not loopback, not ignored and, when preferred networks
 * are given, inside one of them — the rule of Spring Cloud's {@code InetUtils}. Site-local addresses
 * win over public ones. Falls back to the local host address.
 */
public final class HostAddressResolver {

	private static final Logger logger = LoggerFactory.getLogger(HostAddressResolver.class);

	private final List<Pattern> ignoredInterfaces;

	private final List<String> preferredNetworks;

	/**
	 * @param ignoredInterfaces regular expressions of interface names to skip (e.g. {@code docker0}, {@code veth.*})
	 * @param preferredNetworks address prefixes or regular expressions to prefer (e.g. {@code 10.0}, {@code 192\.168\..*})
	 */
	public HostAddressResolver(List<String> ignoredInterfaces, List<String> preferredNetworks) {
		this.ignoredInterfaces = ignoredInterfaces.stream().map(Pattern::compile).toList();
		this.preferredNetworks = List.copyOf(preferredNetworks);
	}

	/** @return the address to advertise, as an IP literal */
	public String resolve() {
		try {
			List<NetworkInterface> interfaces = Collections.list(NetworkInterface.getNetworkInterfaces());
			interfaces.sort(Comparator.comparingInt(NetworkInterface::getIndex));
			Optional<InetAddress> best = Optional.empty();
			for (NetworkInterface nic : interfaces) {
				if (!nic.isUp() || nic.isLoopback() || isIgnored(nic.getName())) {
					continue;
				}
				for (InetAddress address : Collections.list(nic.getInetAddresses())) {
					if (address instanceof Inet4Address && !address.isLoopbackAddress() && isPreferred(address)) {
						if (address.isSiteLocalAddress()) {
							return address.getHostAddress();
						}
						best = best.or(() -> Optional.of(address));
					}
				}
			}
			if (best.isPresent()) {
				return best.get().getHostAddress();
			}
		}
		catch (SocketException ex) {
			logger.warn("Could not list network interfaces: {}", ex.toString());
		}
		return fallback();
	}

	boolean isIgnored(String interfaceName) {
		return this.ignoredInterfaces.stream().anyMatch((pattern) -> pattern.matcher(interfaceName).matches());
	}

	boolean isPreferred(InetAddress address) {
		if (this.preferredNetworks.isEmpty()) {
			return true;
		}
		String text = address.getHostAddress();
		return this.preferredNetworks.stream().anyMatch((network) -> text.startsWith(network) || text.matches(network));
	}

	private static String fallback() {
		try {
			return InetAddress.getLocalHost().getHostAddress();
		}
		catch (UnknownHostException ex) {
			logger.warn("No usable network address found; advertising 127.0.0.1 (set etcd.registry.address)");
			return "127.0.0.1";
		}
	}

}
