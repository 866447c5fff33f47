package io.github.etcdgrpclb.test;

import java.net.URI;
import java.time.Duration;

import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;

/**
 * A single etcd in a container, the stand-in where no etcd binary is installed but a Docker engine
 * runs. Stopping it discards its data: restart and failover tests need the binary.
 */
final class EtcdContainerMember extends EtcdMember {

	static final String IMAGE = "gcr.io/etcd-development/etcd:v3.5.17";

	private static final int CLIENT_PORT = 2379;

	private GenericContainer<?> container;

	/** Talks to the running container (its mapped port is known once it runs). */
	private EtcdGateway gateway;

	EtcdContainerMember(String name) {
		super(name);
	}

	static boolean isDockerAvailable() {
		try {
			Class.forName("org.testcontainers.DockerClientFactory", false, EtcdContainerMember.class.getClassLoader());
			return DockerClientFactory.instance().isDockerAvailable();
		}
		catch (ClassNotFoundException | LinkageError ex) {
			return false;
		}
	}

	@Override
	public URI clientEndpoint() {
		requireStarted();
		return URI.create("http://" + this.container.getHost() + ":" + this.container.getMappedPort(CLIENT_PORT));
	}

	@Override
	@SuppressWarnings("resource")
	public synchronized void start() {
		if (isRunning()) {
			return;
		}
		this.container = new GenericContainer<>(IMAGE).withExposedPorts(CLIENT_PORT)
			.withCommand("etcd", "--name", name(), "--listen-client-urls", "http://0.0.0.0:" + CLIENT_PORT,
					"--advertise-client-urls", "http://0.0.0.0:" + CLIENT_PORT);
		this.container.start();
		this.gateway = new EtcdGateway(clientEndpoint(), null);
		awaitReady(Duration.ofSeconds(30));
	}

	@Override
	public synchronized void stop() {
		if (this.container != null) {
			this.container.stop();
		}
	}

	@Override
	public void kill() {
		stop();
	}

	/** A stopped container's data is gone already. */
	@Override
	public void wipe() {
		stop();
	}

	@Override
	public void pause() {
		requireStarted();
		DockerClientFactory.instance().client().pauseContainerCmd(this.container.getContainerId()).exec();
	}

	@Override
	public void resume() {
		requireStarted();
		DockerClientFactory.instance().client().unpauseContainerCmd(this.container.getContainerId()).exec();
	}

	@Override
	public boolean isRunning() {
		return this.container != null && this.container.isRunning();
	}

	@Override
	String status() {
		requireStarted();
		return this.gateway.status();
	}

	@Override
	String metricsPage() {
		requireStarted();
		return this.gateway.get("/metrics");
	}

	@Override
	void awaitReady(Duration timeout) {
		requireStarted();
		long deadline = System.nanoTime() + timeout.toNanos();
		while (!this.gateway.isHealthy()) {
			if (System.nanoTime() > deadline) {
				throw new IllegalStateException("etcd container not healthy after " + timeout);
			}
			try {
				Thread.sleep(50);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException("Interrupted while waiting for etcd", ex);
			}
		}
	}

	private void requireStarted() {
		if (this.container == null) {
			throw new IllegalStateException("etcd container " + name() + " was not started");
		}
	}

}
