package io.github.etcdgrpclb.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.List;

import org.junit.jupiter.api.Test;

class HostAddressResolverTests {

	@Test
	void resolvedAddressShouldBeAnIpv4LiteralThatIsNotLoopbackWhenTheMachineHasOne() throws Exception {
		String address = new HostAddressResolver(List.of(), List.of()).resolve();
		InetAddress parsed = InetAddress.getByName(address);
		assertThat(address).matches("\\d+\\.\\d+\\.\\d+\\.\\d+");
		boolean hasNonLoopback = java.util.Collections.list(java.net.NetworkInterface.getNetworkInterfaces())
			.stream()
			.anyMatch((nic) -> {
				try {
					return nic.isUp() && !nic.isLoopback() && nic.inetAddresses().anyMatch((a) -> a instanceof java.net.Inet4Address);
				}
				catch (java.net.SocketException ex) {
					return false;
				}
			});
		if (hasNonLoopback) {
			assertThat(parsed.isLoopbackAddress()).isFalse();
		}
	}

	@Test
	void ignoredInterfacesShouldBeSkipped() {
		HostAddressResolver resolver = new HostAddressResolver(List.of("docker0", "veth.*"), List.of());
		assertThat(resolver.isIgnored("docker0")).isTrue();
		assertThat(resolver.isIgnored("veth12ab")).isTrue();
		assertThat(resolver.isIgnored("eth0")).isFalse();
	}

	@Test
	void preferredNetworksShouldMatchByPrefixOrRegex() throws Exception {
		HostAddressResolver resolver = new HostAddressResolver(List.of(), List.of("10.0", "192\\.168\\..*"));
		assertThat(resolver.isPreferred(InetAddress.getByName("10.0.3.4"))).isTrue();
		assertThat(resolver.isPreferred(InetAddress.getByName("192.168.1.9"))).isTrue();
		assertThat(resolver.isPreferred(InetAddress.getByName("172.16.0.1"))).isFalse();
	}

	@Test
	void noMatchingInterfaceShouldFallBackToTheLocalHostAddress() {
		String address = new HostAddressResolver(List.of(".*"), List.of()).resolve();
		assertThat(address).isNotBlank();
	}

}
