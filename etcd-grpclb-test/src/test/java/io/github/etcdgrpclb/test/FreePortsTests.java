package io.github.etcdgrpclb.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;

/**
 * The ports the test support gives etcd members: free, distinct, and outside the range the kernel
 * takes ports of outgoing connections from, so that no connection can take one before etcd binds.
 */
class FreePortsTests {

	@Test
	void portsShouldBeDistinctBindableAndBelowTheEphemeralRange() throws IOException {
		Set<Integer> ports = new HashSet<>();
		for (int i = 0; i < 50; i++) {
			int port = FreePorts.next();
			assertThat(ports.add(port)).as("port %d handed out twice", port).isTrue();
			try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
				assertThat(socket.getLocalPort()).isEqualTo(port);
			}
		}
		assertThat(ports).allSatisfy((port) -> assertThat(port).isBetween(FreePorts.LOWEST, FreePorts.HIGHEST));
	}

	@Test
	void rangeShouldLieBelowThisMachinesEphemeralPorts() throws IOException {
		Path range = Path.of("/proc/sys/net/ipv4/ip_local_port_range");
		assumeThat(Files.isReadable(range)).as("Linux only").isTrue();
		int lowestEphemeral = Integer.parseInt(Files.readAllLines(range).get(0).trim().split("\\s+")[0]);
		assertThat(FreePorts.HIGHEST).isLessThan(lowestEphemeral);
	}

}
