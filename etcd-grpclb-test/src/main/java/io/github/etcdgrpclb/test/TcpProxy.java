package io.github.etcdgrpclb.test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * A loopback TCP proxy in front of one address, to cut a client off (a partition) and let it back
 * in while the other side keeps running. While blocked it closes every connection and refuses new
 * ones at once. It can also cut off one process only ({@link #blockFrom}), the others passing: how
 * peer traffic isolates one etcd member.
 */
public final class TcpProxy implements AutoCloseable {

	private final InetSocketAddress target;

	private final ServerSocket server;

	private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();

	private final Set<Long> blockedProcesses = ConcurrentHashMap.newKeySet();

	private final Map<Socket, Long> sourceProcesses = new ConcurrentHashMap<>();

	private volatile Supplier<Collection<Long>> sourceCandidates = List::of;

	private volatile boolean blocked;

	private volatile boolean closed;

	/** @param target the address to forward to, e.g. an etcd member's client URL */
	public TcpProxy(URI target) {
		this.target = new InetSocketAddress(target.getHost(), target.getPort());
		try {
			this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		Thread acceptor = new Thread(this::acceptLoop, "tcp-proxy-" + this.server.getLocalPort());
		acceptor.setDaemon(true);
		acceptor.start();
	}

	/** @return the proxy's own URL, with the target's scheme */
	public URI endpoint(String scheme) {
		return URI.create(scheme + "://127.0.0.1:" + this.server.getLocalPort());
	}

	/** Closes every connection and refuses new ones until {@link #unblock()}. */
	public void block() {
		this.blocked = true;
		this.sockets.forEach(TcpProxy::closeQuietly);
		this.sockets.clear();
	}

	/** Forwards connections again. */
	public void unblock() {
		this.blocked = false;
	}

	/**
	 * Names the processes that connect, so that {@link #blockFrom} can tell them apart (Linux only).
	 * @param candidates the current process ids of whoever may connect
	 */
	public void identifySources(Supplier<Collection<Long>> candidates) {
		this.sourceCandidates = candidates;
	}

	/** Closes the connections of one process and refuses its new ones; the others pass. */
	public void blockFrom(long pid) {
		this.blockedProcesses.add(pid);
		this.sourceProcesses.forEach((socket, source) -> {
			if (source == pid) {
				closeQuietly(socket);
			}
		});
	}

	/** Lets one process connect again. */
	public void unblockFrom(long pid) {
		this.blockedProcesses.remove(pid);
	}

	private void acceptLoop() {
		while (!this.closed) {
			try {
				Socket client = this.server.accept();
				long source = LoopbackSocketOwners.ownerOf(client.getPort(), this.sourceCandidates.get()).orElse(-1);
				if (this.blocked || this.blockedProcesses.contains(source)) {
					closeQuietly(client);
					continue;
				}
				this.sourceProcesses.put(client, source);
				Socket upstream = new Socket();
				upstream.connect(this.target, 2000);
				this.sockets.add(client);
				this.sockets.add(upstream);
				pump(client, upstream);
				pump(upstream, client);
			}
			catch (IOException ex) {
				// Accept failed (closing) or the target is down: the client sees a closed connection.
			}
		}
	}

	private void pump(Socket from, Socket to) {
		Thread thread = new Thread(() -> {
			byte[] buffer = new byte[16384];
			try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
				int read;
				while ((read = in.read(buffer)) != -1) {
					out.write(buffer, 0, read);
					out.flush();
				}
			}
			catch (IOException ex) {
				// One side closed: close both below.
			}
			finally {
				closeQuietly(from);
				closeQuietly(to);
				this.sockets.remove(from);
				this.sockets.remove(to);
				this.sourceProcesses.remove(from);
				this.sourceProcesses.remove(to);
			}
		}, "tcp-proxy-pump");
		thread.setDaemon(true);
		thread.start();
	}

	@Override
	public void close() {
		this.closed = true;
		closeQuietly(this.server);
		block();
	}

	private static void closeQuietly(AutoCloseable closeable) {
		try {
			closeable.close();
		}
		catch (Exception ex) {
			// Already closed.
		}
	}

}
