package io.github.etcdgrpclb.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.etcd.jetcd.Client;
import io.github.etcdgrpclb.etcd.InstanceMetadata;
import io.github.etcdgrpclb.registry.RegistrationKeeper;
import io.github.etcdgrpclb.registry.RegistryEntry;
import io.github.etcdgrpclb.support.nemesis.ActorClients;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.netty.NettyServerBuilder;

/**
 * A gRPC echo server on a loopback port, registered in etcd by a registrar: no Spring, as a plain
 * grpc-java user would run it. {@link #main} runs one in its own JVM (for kill -9 tests).
 */
public final class PlainEchoServer implements AutoCloseable {

	private final Server server;

	private final RegistrationKeeper registrar;

	private final String name;

	private final Sickness sickness = new Sickness();

	public PlainEchoServer(Client client, String prefix, String service, String name, int weight, Duration ttl) {
		this(client, prefix, service, name, weight, ttl, InstanceMetadata.NONE);
	}

	public PlainEchoServer(Client client, String prefix, String service, String name, int weight, Duration ttl,
			InstanceMetadata metadata) {
		this(client, prefix, service, name, weight, ttl, metadata, 0);
	}

	/** @param port the port to serve on, 0 for any */
	public PlainEchoServer(Client client, String prefix, String service, String name, int weight, Duration ttl,
			InstanceMetadata metadata, int port) {
		this.name = name;
		try {
			this.server = NettyServerBuilder.forAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), port))
				.addService(ServerInterceptors.intercept(new EchoService(name), this.sickness))
				.build()
				.start();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		this.registrar = new RegistrationKeeper(client,
				new RegistryEntry(prefix, service, "127.0.0.1", this.server.getPort(), weight).withMetadata(metadata), ttl);
		this.registrar.start();
	}

	public String name() {
		return this.name;
	}

	/** @return what makes this server slow or failing on demand */
	public Sickness sickness() {
		return this.sickness;
	}

	public int port() {
		return this.server.getPort();
	}

	public RegistrationKeeper registrar() {
		return this.registrar;
	}

	/** Stops serving at once, without deregistering: like a crash, as far as etcd is concerned. */
	public void crash() {
		this.server.shutdownNow();
	}

	/**
	 * Deregisters but goes on serving: the first half of a graceful stop, as the starter does it
	 * (deregister, let clients drop the address for the drain delay, then {@link #close}).
	 */
	public void deregister() {
		this.registrar.close();
	}

	@Override
	public void close() {
		this.registrar.close();
		this.server.shutdownNow();
		try {
			this.server.awaitTermination(5, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	/**
	 * Args: endpoints, service, name, weight, ttl seconds, and optionally its metadata as JSON; the port
	 * from the system property echo.port (any by default). Prints "PORT=<port>" once started. On SIGTERM
	 * it stops as the starter does: deregister, wait a 1 s drain, let the calls under way end, stop.
	 * Credentials from the system properties nemesis.user and nemesis.password, if any.
	 */
	public static void main(String[] args) throws InterruptedException {
		Client client = ActorClients.client(args[0]);
		InstanceMetadata metadata = (args.length > 5) ? InstanceMetadata.parse(args[5]) : InstanceMetadata.NONE;
		PlainEchoServer server = new PlainEchoServer(client, "/grpclb", args[1], args[2], Integer.parseInt(args[3]),
				Duration.ofSeconds(Long.parseLong(args[4])), metadata, Integer.getInteger("echo.port", 0));
		Runtime.getRuntime().addShutdownHook(new Thread(() -> {
			server.deregister();
			try {
				Thread.sleep(1000);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			server.server.shutdown();
			try {
				server.server.awaitTermination(5, TimeUnit.SECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}));
		System.out.println("PORT=" + server.port());
		System.out.flush();
		new CountDownLatch(1).await();
	}

}
