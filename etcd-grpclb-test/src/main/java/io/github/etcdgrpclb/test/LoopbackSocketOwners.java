package io.github.etcdgrpclb.test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.stream.Stream;

/**
 * Finds which process owns the far end of a loopback connection (Linux {@code /proc}): the socket
 * whose local port is the connection's remote port, and the process holding that socket open. Lets a
 * proxy tell etcd members apart, since they all connect from 127.0.0.1.
 */
final class LoopbackSocketOwners {

	private static final List<Path> TABLES = List.of(Path.of("/proc/net/tcp"), Path.of("/proc/net/tcp6"));

	private LoopbackSocketOwners() {
	}

	/**
	 * @param port the local port of the socket to look for (the proxy's view of its remote port)
	 * @param candidates the processes that may own it
	 * @return the owner among the candidates, or empty
	 */
	static OptionalLong ownerOf(int port, Collection<Long> candidates) {
		if (candidates.isEmpty()) {
			return OptionalLong.empty();
		}
		String inode = inodeOf(port);
		if (inode == null) {
			return OptionalLong.empty();
		}
		String link = "socket:[" + inode + "]";
		for (long pid : candidates) {
			try (Stream<Path> fds = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
				if (fds.anyMatch((fd) -> link.equals(readLink(fd)))) {
					return OptionalLong.of(pid);
				}
			}
			catch (IOException ex) {
				// The process is gone: not the owner.
			}
		}
		return OptionalLong.empty();
	}

	private static String inodeOf(int port) {
		String hexPort = String.format(Locale.ROOT, ":%04X", port);
		for (Path table : TABLES) {
			try {
				for (String line : Files.readAllLines(table)) {
					// sl local_address rem_address st tx:rx tr:tm retrnsmt uid timeout inode
					String[] columns = line.trim().split("\\s+");
					// 01 = ESTABLISHED: a closed connection's TIME_WAIT entry may hold the same port.
					if (columns.length > 9 && columns[1].endsWith(hexPort) && "01".equals(columns[3])
							&& !"0".equals(columns[9])) {
						return columns[9];
					}
				}
			}
			catch (IOException ex) {
				// No such table (no IPv6): look in the next.
			}
		}
		return null;
	}

	private static String readLink(Path fd) {
		try {
			return Files.readSymbolicLink(fd).toString();
		}
		catch (IOException | UnsupportedOperationException ex) {
			return "";
		}
	}

}
