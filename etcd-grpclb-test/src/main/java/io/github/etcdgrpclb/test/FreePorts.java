package io.github.etcdgrpclb.test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Hands out free TCP ports on the loopback interface, never the same one twice in this JVM.
 * <p>
 * The ports come from below the ephemeral range (Linux: 32768-60999, macOS and Windows: 49152 and
 * up), never from it: between our check and etcd's bind, any outgoing connection (Maven fetching an
 * artifact, a gRPC client, another etcd member dialling its peers) may be given an ephemeral port,
 * and a member whose port was taken that way fails to start ("bind: address already in use").
 */
final class FreePorts {

	static final int LOWEST = 15000;

	static final int HIGHEST = 32000;

	private static final Set<Integer> handedOut = new HashSet<>();

	private FreePorts() {
	}

	static synchronized int next() {
		for (int attempt = 0; attempt < 200; attempt++) {
			int port = ThreadLocalRandom.current().nextInt(LOWEST, HIGHEST + 1);
			if (!handedOut.contains(port) && bindable(port)) {
				handedOut.add(port);
				return port;
			}
		}
		throw new IllegalStateException("No free loopback port in " + LOWEST + "-" + HIGHEST + " after 200 attempts");
	}

	private static boolean bindable(int port) {
		try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
			return true;
		}
		catch (IOException ex) {
			return false;
		}
	}

}
