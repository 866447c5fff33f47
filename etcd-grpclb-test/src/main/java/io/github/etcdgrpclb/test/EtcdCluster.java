package io.github.etcdgrpclb.test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A real etcd for tests and demos: one member or a cluster on loopback ports, each member a process
 * of the local {@code etcd} binary with a fresh temporary data directory, optionally with TLS
 * (generated certificates) and with authentication enabled. Closing it stops every member and
 * deletes the data.
 *
 * <pre class="code">
 * try (EtcdCluster etcd = EtcdCluster.builder().members(3).start()) {
 *     etcd.leader().kill();
 * }
 * </pre>
 *
 * Where no binary is installed but a Docker engine runs, a single plain member is started with
 * Testcontainers instead; clusters, TLS and auth need the binary. With neither, starting fails with
 * a message that says how to install etcd.
 */
public final class EtcdCluster implements AutoCloseable {

	/** The name of the root user when authentication is enabled. */
	public static final String ROOT = "root";

	private static final Pattern MEMBER_ID = Pattern.compile("\"member_id\"\\s*:\\s*\"(\\d+)\"");

	private static final Pattern LEASE_ID = Pattern.compile("\"ID\"\\s*:\\s*\"(-?\\d+)\"");

	private static final Pattern LEADER = Pattern.compile("\"leader\"\\s*:\\s*\"(\\d+)\"");

	private final Path workDir;

	private final List<EtcdMember> members;

	private final EtcdTls tls;

	private final String rootPassword;

	private final List<TcpProxy> peerProxies;

	private EtcdCluster(Path workDir, List<EtcdMember> members, EtcdTls tls, String rootPassword,
			List<TcpProxy> peerProxies) {
		this.workDir = workDir;
		this.members = List.copyOf(members);
		this.tls = tls;
		this.rootPassword = rootPassword;
		this.peerProxies = List.copyOf(peerProxies);
	}

	/**
	 * Cuts one member off from its peers, both ways, while its clients stay connected to it (they
	 * reach a member without a leader, as in a network partition). Needs {@link Builder#peerProxies()}.
	 * @param index the member to isolate
	 */
	public void isolate(int index) {
		long pid = peerProxied(index).pid();
		this.peerProxies.get(index).block();
		for (int i = 0; i < this.peerProxies.size(); i++) {
			if (i != index) {
				this.peerProxies.get(i).blockFrom(pid);
			}
		}
	}

	/** Lets an isolated member talk to its peers again. */
	public void heal(int index) {
		long pid = peerProxied(index).pid();
		this.peerProxies.get(index).unblock();
		this.peerProxies.forEach((proxy) -> proxy.unblockFrom(pid));
	}

	private EtcdProcessMember peerProxied(int index) {
		if (this.peerProxies.isEmpty()) {
			throw new IllegalStateException("Start the cluster with EtcdCluster.builder().peerProxies() to isolate members");
		}
		return (EtcdProcessMember) this.members.get(index);
	}

	/** @return a builder of clusters */
	public static Builder builder() {
		return new Builder();
	}

	/** @return a started single plain member */
	public static EtcdCluster startSingle() {
		return builder().start();
	}

	/** @return every member, in start order */
	public List<EtcdMember> members() {
		return this.members;
	}

	/** @return the member at {@code index} (0-based) */
	public EtcdMember member(int index) {
		return this.members.get(index);
	}

	/** @return the client URLs of every member */
	public List<URI> clientEndpoints() {
		return this.members.stream().map(EtcdMember::clientEndpoint).toList();
	}

	/** @return the client URLs of every member, comma separated (the form of {@code etcd.endpoints}) */
	public String endpoints() {
		return clientEndpoints().stream().map(URI::toString).collect(Collectors.joining(","));
	}

	/** @return the folder holding the members' data directories, logs and certificates */
	public Path workDir() {
		return this.workDir;
	}

	/** @return the generated TLS material, or {@code null} when the cluster is plain */
	public EtcdTls tls() {
		return this.tls;
	}

	/** @return the root password, or {@code null} when authentication is off */
	public String rootPassword() {
		return this.rootPassword;
	}

	/**
	 * Finds the current leader among the running members.
	 * @return the leader
	 * @throws IllegalStateException when no running member reports one
	 */
	public EtcdMember leader() {
		for (EtcdMember member : this.members) {
			if (!member.isRunning()) {
				continue;
			}
			try {
				String status = member.status();
				Optional<String> id = find(MEMBER_ID, status);
				if (id.isPresent() && id.equals(find(LEADER, status))) {
					return member;
				}
			}
			catch (IllegalStateException ex) {
				// This member does not answer (electing, or paused): ask the next one.
			}
		}
		throw new IllegalStateException("No running etcd member is the leader");
	}

	/** Waits until every running member is healthy (has a leader). */
	public void awaitHealthy(Duration timeout) {
		for (EtcdMember member : this.members) {
			if (member.isRunning()) {
				member.awaitReady(timeout);
			}
		}
	}

	/**
	 * Lists the leases etcd holds (to check that nothing leaks them).
	 * @return the lease ids
	 */
	public List<Long> leases() {
		EtcdProcessMember member = processMember();
		String token = (this.rootPassword != null) ? member.gateway().authenticate(ROOT, this.rootPassword) : null;
		Matcher matcher = LEASE_ID.matcher(member.gateway().post("/v3/lease/leases", "{}", token));
		List<Long> ids = new ArrayList<>();
		while (matcher.find()) {
			ids.add(Long.parseLong(matcher.group(1)));
		}
		return ids;
	}

	/**
	 * Defragments one member through its JSON gateway, authenticated afresh when auth is on. (jetcd's
	 * maintenance calls to one member keep a token that member may have expired: simple tokens expire
	 * per member, and a client whose other calls go to another member never renews it.)
	 * @param member a member of this cluster started from the binary
	 */
	public void defragment(EtcdMember member) {
		if (!(member instanceof EtcdProcessMember process)) {
			throw new IllegalArgumentException("Needs a member started from the binary: " + member);
		}
		String token = (this.rootPassword != null) ? process.gateway().authenticate(ROOT, this.rootPassword) : null;
		process.gateway().post("/v3/maintenance/defragment", "{}", token);
	}

	/**
	 * Adds a user with a role that may read and write the given key prefixes. Needs authentication
	 * to be enabled ({@link Builder#auth(String)}).
	 * @param user the user name (also the role name)
	 * @param password the password
	 * @param readWritePrefixes key prefixes the user may read and write
	 */
	public void addUser(String user, String password, String... readWritePrefixes) {
		EtcdProcessMember member = processMember();
		String token = (this.rootPassword != null) ? member.gateway().authenticate(ROOT, this.rootPassword) : null;
		EtcdAuthSetup.addUser(member.gateway(), token, user, password, readWritePrefixes);
	}

	@Override
	public void close() {
		this.peerProxies.forEach(TcpProxy::close);
		RuntimeException failure = null;
		for (EtcdMember member : this.members) {
			try {
				member.kill();
			}
			catch (RuntimeException ex) {
				failure = ex;
			}
		}
		deleteRecursively(this.workDir);
		if (failure != null) {
			throw failure;
		}
	}

	private EtcdProcessMember processMember() {
		return this.members.stream()
			.filter(EtcdProcessMember.class::isInstance)
			.map(EtcdProcessMember.class::cast)
			.filter(EtcdMember::isRunning)
			.findFirst()
			.orElseThrow(() -> new IllegalStateException("Needs a running etcd member started from the binary"));
	}

	private static Optional<String> find(Pattern pattern, String json) {
		Matcher matcher = pattern.matcher(json);
		return matcher.find() ? Optional.of(matcher.group(1)) : Optional.empty();
	}

	static void deleteRecursively(Path dir) {
		if (dir == null || !Files.exists(dir)) {
			return;
		}
		try (Stream<Path> paths = Files.walk(dir)) {
			for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
				Files.deleteIfExists(path);
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not delete " + dir, ex);
		}
	}

	/** Describes the etcd to start. */
	public static final class Builder {

		private int members = 1;

		private boolean tls;

		private boolean clientCertAuth;

		private String rootPassword;

		private String clientCommonName = "client";

		private final List<String> extraFlags = new ArrayList<>();

		private boolean peerProxies;

		private Builder() {
		}

		/** Routes the members' peer traffic through proxies, so that {@link EtcdCluster#isolate} can partition one. */
		public Builder peerProxies() {
			this.peerProxies = true;
			return this;
		}

		/** @param members how many members (1 or more; 3 for failover tests) */
		public Builder members(int members) {
			if (members < 1) {
				throw new IllegalArgumentException("members must be at least 1, was " + members);
			}
			this.members = members;
			return this;
		}

		/** Serves clients over TLS with generated certificates. */
		public Builder tls() {
			this.tls = true;
			return this;
		}

		/**
		 * Serves clients over TLS and requires a client certificate signed by the generated CA.
		 * @param clientCommonName the generated client certificate's CN
		 */
		public Builder mutualTls(String clientCommonName) {
			this.tls = true;
			this.clientCertAuth = true;
			this.clientCommonName = clientCommonName;
			return this;
		}

		/** Enables authentication with a {@code root} user of this password. */
		public Builder auth(String rootPassword) {
			this.rootPassword = rootPassword;
			return this;
		}

		/**
		 * Lets etcd's simple auth tokens expire after this much idle time (etcd's default is 5 min),
		 * for tests of what happens when a client's token expires.
		 * @param ttl whole seconds, at least 1
		 */
		public Builder authTokenTtl(Duration ttl) {
			if (ttl.getSeconds() < 1) {
				throw new IllegalArgumentException("auth token TTL must be at least 1s, was " + ttl);
			}
			this.extraFlags.addAll(List.of("--auth-token", "simple", "--auth-token-ttl", Long.toString(ttl.getSeconds())));
			return this;
		}

		/** Starts every member and waits until the cluster serves. */
		public EtcdCluster start() {
			Optional<Path> binary = EtcdBinary.find();
			if (binary.isEmpty()) {
				if (this.members == 1 && !this.tls && this.rootPassword == null && EtcdContainerMember.isDockerAvailable()) {
					return startInContainer();
				}
				throw new IllegalStateException("No etcd binary on the PATH"
						+ (EtcdContainerMember.isDockerAvailable() ? " (a container can only stand in for a single plain member)" : " and no Docker engine")
						+ ". " + EtcdBinary.INSTALL_HINT);
			}
			Path workDir = createWorkDir();
			try {
				return startProcesses(binary.get(), workDir);
			}
			catch (RuntimeException ex) {
				deleteRecursively(workDir);
				throw ex;
			}
		}

		private EtcdCluster startProcesses(Path binary, Path workDir) {
			EtcdTls material = this.tls ? EtcdTls.generate(workDir, this.clientCommonName) : null;
			int[] clientPorts = new int[this.members];
			int[] peerPorts = new int[this.members];
			int[] advertisedPeerPorts = new int[this.members];
			List<TcpProxy> proxies = new ArrayList<>();
			List<String> initialCluster = new ArrayList<>();
			for (int i = 0; i < this.members; i++) {
				clientPorts[i] = FreePorts.next();
				peerPorts[i] = FreePorts.next();
				advertisedPeerPorts[i] = peerPorts[i];
				if (this.peerProxies) {
					TcpProxy proxy = new TcpProxy(URI.create(EtcdProcessMember.peerUrl(peerPorts[i])));
					proxies.add(proxy);
					advertisedPeerPorts[i] = proxy.endpoint("http").getPort();
				}
				initialCluster.add("etcd" + i + "=" + EtcdProcessMember.peerUrl(advertisedPeerPorts[i]));
			}
			String token = "etcd-grpclb-test-" + UUID.randomUUID();
			List<EtcdMember> started = new ArrayList<>();
			try {
				for (int i = 0; i < this.members; i++) {
					EtcdProcessMember member = new EtcdProcessMember(binary, workDir, "etcd" + i, clientPorts[i],
							peerPorts[i], advertisedPeerPorts[i], String.join(",", initialCluster), token, material,
							this.clientCertAuth, this.extraFlags);
					started.add(member);
					member.launch();
				}
				proxies.forEach((proxy) -> proxy.identifySources(() -> started.stream()
					.map((member) -> ((EtcdProcessMember) member).pid())
					.filter((pid) -> pid > 0)
					.toList()));
				EtcdCluster ready = new EtcdCluster(workDir, started, material, this.rootPassword, proxies);
				ready.awaitHealthy(Duration.ofSeconds(30));
				if (this.rootPassword != null) {
					EtcdAuthSetup.enable(((EtcdProcessMember) started.get(0)).gateway(), this.rootPassword);
				}
				return ready;
			}
			catch (RuntimeException ex) {
				started.forEach(EtcdMember::kill);
				proxies.forEach(TcpProxy::close);
				throw ex;
			}
		}

		private EtcdCluster startInContainer() {
			EtcdContainerMember member = new EtcdContainerMember("etcd0");
			member.start();
			return new EtcdCluster(null, List.of(member), null, null, List.of());
		}

		private static Path createWorkDir() {
			try {
				return Files.createTempDirectory("etcd-grpclb-test-");
			}
			catch (IOException ex) {
				throw new UncheckedIOException("Could not create a temp dir for etcd", ex);
			}
		}

	}

}
