package io.github.etcdgrpclb.test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Set;

/** Hands out free TCP ports on the loopback interface, never the same one twice in this JVM. */
final class FreePorts {

	private static final Set<Integer> handedOut = new HashSet<>();

	private FreePorts() {
	}

	static synchronized int next() {
		for (int attempt = 0; attempt < 100; attempt++) {
			try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
				int port = socket.getLocalPort();
				if (handedOut.add(port)) {
					return port;
				}
			}
			catch (IOException ex) {
				throw new UncheckedIOException("Could not find a free loopback port", ex);
			}
		}
		throw new IllegalStateException("No free loopback port after 100 attempts");
	}

}
