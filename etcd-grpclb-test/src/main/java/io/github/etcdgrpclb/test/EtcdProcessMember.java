package io.github.etcdgrpclb.test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import java.util.concurrent.TimeUnit;

/** An etcd member run from the local binary, with its own data directory and loopback ports. */
final class EtcdProcessMember extends EtcdMember {

	private final Path binary;

	private final Path dataDir;

	private final Path logFile;

	private final String scheme;

	private final int clientPort;

	private final int peerPort;

	private final int advertisedPeerPort;

	private final String initialCluster;

	private final String clusterToken;

	private final EtcdTls tls;

	private final boolean clientCertAuth;

	private final List<String> extraFlags;

	private final EtcdGateway gateway;

	private Process process;

	EtcdProcessMember(Path binary, Path workDir, String name, int clientPort, int peerPort, int advertisedPeerPort,
			String initialCluster, String clusterToken, EtcdTls tls, boolean clientCertAuth, List<String> extraFlags) {
		super(name);
		this.binary = binary;
		this.dataDir = workDir.resolve(name + ".etcd");
		this.logFile = workDir.resolve(name + ".log");
		this.scheme = (tls != null) ? "https" : "http";
		this.clientPort = clientPort;
		this.peerPort = peerPort;
		this.advertisedPeerPort = advertisedPeerPort;
		this.initialCluster = initialCluster;
		this.clusterToken = clusterToken;
		this.tls = tls;
		this.clientCertAuth = clientCertAuth;
		this.extraFlags = List.copyOf(extraFlags);
		this.gateway = new EtcdGateway(clientEndpoint(), (tls != null) ? tls.clientSslContext() : null);
	}

	static String peerUrl(int peerPort) {
		return "http://127.0.0.1:" + peerPort;
	}

	@Override
	public URI clientEndpoint() {
		return URI.create(this.scheme + "://127.0.0.1:" + this.clientPort);
	}

	EtcdGateway gateway() {
		return this.gateway;
	}

	/** Launches the process without waiting; {@link #awaitReady} waits (members of a cluster start together). */
	synchronized void launch() {
		if (isRunning()) {
			return;
		}
		List<String> command = new ArrayList<>(List.of(this.binary.toString(), "--name", name(), "--data-dir",
				this.dataDir.toString(), "--listen-client-urls", clientEndpoint().toString(),
				"--advertise-client-urls", clientEndpoint().toString(), "--listen-peer-urls", peerUrl(this.peerPort),
				"--initial-advertise-peer-urls", peerUrl(this.advertisedPeerPort), "--initial-cluster", this.initialCluster,
				"--initial-cluster-token", this.clusterToken, "--initial-cluster-state", "new", "--logger", "zap",
				"--log-outputs", "stderr",
				// Fast elections keep failover tests short; loopback latency is far below these.
				"--heartbeat-interval", "50", "--election-timeout", "500"));
		if (this.tls != null) {
			command.addAll(List.of("--cert-file", this.tls.serverCertificate().toString(), "--key-file",
					this.tls.serverKey().toString(), "--trusted-ca-file", this.tls.caCertificate().toString()));
			if (this.clientCertAuth) {
				command.add("--client-cert-auth");
			}
		}
		command.addAll(this.extraFlags);
		try {
			this.process = new ProcessBuilder(command).redirectErrorStream(true)
				.redirectOutput(ProcessBuilder.Redirect.appendTo(this.logFile.toFile()))
				.start();
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not start " + this.binary, ex);
		}
	}

	@Override
	public void start() {
		launch();
		awaitReady(Duration.ofSeconds(30));
	}

	@Override
	void awaitReady(Duration timeout) {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (System.nanoTime() < deadline) {
			if (!isRunning()) {
				throw new IllegalStateException("etcd member " + name() + " exited with code "
						+ this.process.exitValue() + "; last log lines:\n" + logTail());
			}
			if (this.gateway.isHealthy()) {
				return;
			}
			sleep(50);
		}
		throw new IllegalStateException(
				"etcd member " + name() + " not healthy after " + timeout + "; last log lines:\n" + logTail());
	}

	@Override
	public synchronized void stop() {
		if (isRunning()) {
			resume();
			this.process.destroy();
			if (!waitFor(Duration.ofSeconds(15))) {
				kill();
			}
		}
	}

	@Override
	public synchronized void kill() {
		if (this.process != null) {
			this.process.destroyForcibly();
			waitFor(Duration.ofSeconds(15));
		}
	}

	@Override
	public synchronized void wipe() {
		stop();
		try (Stream<Path> files = Files.walk(this.dataDir)) {
			// Children before their directories.
			for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
				Files.delete(file);
			}
		}
		catch (NoSuchFileException ex) {
			// Never started: nothing to delete.
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not delete " + this.dataDir, ex);
		}
	}

	@Override
	public void pause() {
		signal("-STOP");
	}

	@Override
	public void resume() {
		signal("-CONT");
	}

	/** @return the process id, or -1 when not running */
	long pid() {
		return isRunning() ? this.process.pid() : -1;
	}

	@Override
	public boolean isRunning() {
		return this.process != null && this.process.isAlive();
	}

	@Override
	String status() {
		return this.gateway.status();
	}

	@Override
	String metricsPage() {
		try {
			return this.gateway.get("/metrics");
		}
		catch (IllegalStateException ex) {
			// Whether the process is gone tells an etcd crash from a client-side fault.
			throw new IllegalStateException(ex.getMessage() + "; " + this + (isRunning() ? " runs" : " exited")
					+ "; last log lines:\n" + logTail(), ex);
		}
	}

	private void signal(String signal) {
		if (!isRunning()) {
			return;
		}
		try {
			Process kill = new ProcessBuilder("kill", signal, Long.toString(this.process.pid())).start();
			kill.waitFor(5, TimeUnit.SECONDS);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private boolean waitFor(Duration timeout) {
		try {
			return this.process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
	}

	String logTail() {
		try {
			List<String> lines = Files.readAllLines(this.logFile);
			return String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
		}
		catch (IOException ex) {
			return "(no log: " + ex.getMessage() + ")";
		}
	}

	private static void sleep(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while waiting for etcd", ex);
		}
	}

}
