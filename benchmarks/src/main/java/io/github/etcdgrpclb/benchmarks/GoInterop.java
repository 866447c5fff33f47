package io.github.etcdgrpclb.benchmarks;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.options.PutOption;
import io.github.etcdgrpclb.etcd.InstanceMetadata;
import io.github.etcdgrpclb.registry.RegistrationKeeper;
import io.github.etcdgrpclb.registry.RegistryEntry;
import io.github.etcdgrpclb.registry.ValueFormat;
import io.github.etcdgrpclb.support.EchoService;
import io.github.etcdgrpclb.support.RawEtcd;
import io.github.etcdgrpclb.test.EtcdCluster;
import io.grpc.Server;
import io.grpc.netty.NettyServerBuilder;

/**
 * Go programs against our Java side. Java servers that carry metadata, read by Go clients as they
 * were written before metadata existed: the Go tutorial's weighted client (plain weights under
 * /grpclb/<service>/) must still split by weight, and etcd's own Go naming resolver (JSON values) must
 * still find every address, and the tutorial's client must follow an operator's override (the console's
 * key, applied by each server's registrar to its own key); each check prints the split and fails when a
 * share is more than 2 points off or a call failed. And etcd's Go {@code concurrency.Election} as the next candidate of a leading
 * sample server (gRPC drain 1 s) that gets SIGTERM: it must lead within 100 ms of the signal (the median
 * of 5 runs; each within 500 ms, far from the drain).
 * Exit 1 when any check fails. Run by {@code interop/go/run.sh}, which builds the Go programs with
 * Debian's Go packages (the Go Election also beside a Spring Integration Candidate): {@code java ... GoInterop <weight-client> <naming-client> <election-candidate>}.
 */
public final class GoInterop {

	/** 20,000 calls: 2 points are over 5 binomial deviations of the largest share, so chance does not fail the check. */
	private static final int CALLS = 20_000;

	private GoInterop() {
	}

	public static void main(String[] args) throws Exception {
		boolean passed;
		try (EtcdCluster etcd = EtcdCluster.startSingle(); RawEtcd raw = new RawEtcd(etcd.endpoints())) {
			List<AutoCloseable> servers = new ArrayList<>();
			Map<String, Integer> weights = new LinkedHashMap<>();
			weights.put("a", 1);
			weights.put("b", 2);
			weights.put("c", 5);
			List<Map<String, String>> metadata = List.of(Map.of("zone", "eu-1a", "tags", "canary"),
					Map.of("zone", "eu-1b", "version", "v2"), Map.of());
			int i = 0;
			for (Map.Entry<String, Integer> server : weights.entrySet()) {
				servers.add(server(raw.client(), "tutorial", server.getKey(), server.getValue(), ValueFormat.WEIGHT,
						metadata.get(i)));
				servers.add(server(raw.client(), "naming", server.getKey(), server.getValue(), ValueFormat.JSON,
						metadata.get(i++)));
			}
			while (raw.list("/grpclb/").size() < 6 || raw.list("/grpclb-meta/").size() < 4) {
				Thread.sleep(10);
			}
			System.out.println("etcd holds, as Go clients read it:");
			raw.values("/grpclb").forEach((key, value) -> System.out.println("  " + key + " = " + value));
			boolean tutorial = check("the Go tutorial's weighted client (grpclb:///tutorial)",
					run(args[0], etcd.endpoints(), "tutorial"), weights);
			boolean steered = check("the Go tutorial's weighted client after an operator set a's weight to 5 and drained c",
					run(args[0], etcd.endpoints(), operatorSteers(raw)), Map.of("a", 5, "b", 2));
			Map<String, Integer> even = new LinkedHashMap<>();
			weights.keySet().forEach((name) -> even.put(name, 1));
			boolean naming = check("etcd's Go naming resolver with round_robin (etcd:////grpclb/naming)",
					run(args[1], etcd.endpoints(), "/grpclb/naming"), even);
			for (AutoCloseable server : servers) {
				server.close();
			}
			boolean handover = handover(args[2], etcd.endpoints(), raw);
			boolean integration = besideSpringIntegration(args[2], etcd.endpoints(), raw);
			passed = tutorial && steered && naming && handover && integration;
		}
		System.exit(passed ? 0 : 1);
	}

	/**
	 * Writes the console's operator keys by hand (unpinned, on each server's lease): server a (weight 1)
	 * to weight 5, server c (weight 5) drained. Their registrars publish it under their own keys, where
	 * the Go tutorial's client reads it.
	 * @return the target the Go client dials
	 */
	private static String operatorSteers(RawEtcd raw) throws Exception {
		Map<String, KeyValue> byWeight = new TreeMap<>();
		raw.list("/grpclb/tutorial/").forEach((kv) -> byWeight.put(kv.getValue().toString(StandardCharsets.UTF_8), kv));
		steer(raw, byWeight.get("1"), "{\"weight\":5,\"by\":\"interop\"}");
		steer(raw, byWeight.get("5"), "{\"drained\":true,\"by\":\"interop\"}");
		awaitTrue(() -> raw.values("/grpclb/tutorial/").values().stream().sorted().toList().equals(List.of("2", "5")),
				"the registrars to publish the operator's changes");
		System.out.println("\netcd holds, after the operator's changes:");
		raw.values("/grpclb/tutorial/").forEach((key, value) -> System.out.println("  " + key + " = " + value));
		return "tutorial";
	}

	private static void steer(RawEtcd raw, KeyValue registration, String change) throws Exception {
		String key = registration.getKey().toString(StandardCharsets.UTF_8).replaceFirst("^/grpclb/", "/grpclb-ops/");
		raw.client()
			.getKVClient()
			.put(ByteSequence.from(key, StandardCharsets.UTF_8),
					ByteSequence.from(change, StandardCharsets.UTF_8),
					PutOption.builder().withLeaseId(registration.getLease()).build())
			.get(5, TimeUnit.SECONDS);
	}

	/** A leading sample server gets SIGTERM: how long until the Go candidate behind it leads. */
	private static boolean handover(String candidate, String endpoints, RawEtcd raw) throws Exception {
		Path jar = Path.of("sample-server/target/sample-server-0.1.0-SNAPSHOT-exec.jar");
		System.out.printf("%netcd's Go Election behind a leading sample server (drain 1 s) that gets SIGTERM:%n");
		double[] millis = new double[5];
		for (int run = 0; run < millis.length; run++) {
			Path log = Files.createTempFile("leader", ".log");
			Process leader = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
					jar.toString(), "--etcd.endpoints=" + endpoints, "--grpc.server.port=0", "--etcd.leader.enabled=true",
					"--etcd.leader.ttl=2s", "--etcd.leader.name=handover-" + run, "--etcd.registry.drain-delay=1s")
				.redirectErrorStream(true)
				.redirectOutput(log.toFile())
				.start();
			Path goLog = Files.createTempFile("go-candidate", ".log");
			Process go = null;
			try {
				awaitLine(log, "Leading election");
				go = new ProcessBuilder(candidate, endpoints, "/election/handover-" + run, "go-" + run)
					.redirectErrorStream(true)
					.redirectOutput(goLog.toFile())
					.start();
				String election = "/election/handover-" + run + "/";
				long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
				while (raw.list(election).size() < 2 && System.nanoTime() < deadline) {
					Thread.sleep(10); // until its key is in the queue behind the leader's
				}
				long signalled = System.currentTimeMillis() * 1_000_000L;
				leader.destroy(); // SIGTERM
				String leading = awaitLine(goLog, "LEADING ");
				millis[run] = (Long.parseLong(leading.substring("LEADING ".length()).trim()) - signalled) / 1e6;
			}
			finally {
				leader.destroy();
				leader.waitFor(30, TimeUnit.SECONDS);
				if (go != null) {
					go.destroyForcibly();
				}
			}
		}
		double[] sorted = java.util.Arrays.stream(millis).sorted().toArray();
		double median = sorted[sorted.length / 2];
		double worst = sorted[sorted.length - 1];
		System.out.printf("  SIGTERM -> the Go candidate leads: %s ms (median %.0f)%n", java.util.Arrays.toString(millis),
				median);
		// The target is 100 ms; a loaded machine may stretch one run, and a handover after the drain took
		// over a second: the median holds the target, every run stays far from the drain.
		boolean passed = median < 100 && worst < 500;
		System.out.println(passed ? "  PASSED (median within 100 ms, every run within 500 ms)" : "  FAILED");
		return passed;
	}

	/**
	 * A Spring Integration Candidate (through EtcdLeaderInitiator) and etcd's Go Election on one
	 * election: the Go candidate leads once the Spring one stops, and the Spring one once the Go process dies.
	 */
	private static boolean besideSpringIntegration(String candidate, String endpoints, RawEtcd raw) throws Exception {
		System.out.printf("%nA Spring Integration Candidate and etcd's Go Election on /election/si-reports:%n");
		List<String> events = new java.util.concurrent.CopyOnWriteArrayList<>();
		org.springframework.integration.leader.DefaultCandidate spring = new org.springframework.integration.leader.DefaultCandidate(
				"si-candidate", "si-reports") {

			@Override
			public void onGranted(org.springframework.integration.leader.Context context) {
				events.add("granted");
			}

			@Override
			public void onRevoked(org.springframework.integration.leader.Context context) {
				events.add("revoked");
			}

		};
		io.github.etcdgrpclb.spring.integration.EtcdLeaderInitiator initiator = new io.github.etcdgrpclb.spring.integration.EtcdLeaderInitiator(
				raw.client(), spring, "/election", Duration.ofSeconds(2));
		Path goLog = Files.createTempFile("go-candidate", ".log");
		Process go = null;
		try {
			initiator.start();
			awaitTrue(() -> events.contains("granted"), "the Spring candidate leads");
			go = new ProcessBuilder(candidate, endpoints, "/election/si-reports", "go-candidate").redirectErrorStream(true)
				.redirectOutput(goLog.toFile())
				.start();
			awaitTrue(() -> raw.list("/election/si-reports/").size() == 2, "the Go candidate queues behind it");
			long stopped = System.currentTimeMillis() * 1_000_000L;
			initiator.stop();
			String leading = awaitLine(goLog, "LEADING ");
			double goLed = (Long.parseLong(leading.substring("LEADING ".length()).trim()) - stopped) / 1e6;
			boolean revokedInStop = events.equals(List.of("granted", "revoked"));
			initiator.start();
			awaitTrue(() -> raw.list("/election/si-reports/").size() == 2, "the Spring candidate queues behind Go");
			long killed = System.nanoTime();
			go.destroyForcibly(); // its lease (TTL 2 s) expires: the Spring candidate leads
			awaitTrue(() -> events.size() == 3, "the Spring candidate leads again");
			double springLed = (System.nanoTime() - killed) / 1e6;
			System.out.printf("  Spring candidate stops -> Go leads: %.0f ms (revoked within stop: %s)%n", goLed,
					revokedInStop);
			System.out.printf("  Go process killed (lease TTL 2 s) -> Spring candidate leads: %.0f ms%n", springLed);
			boolean passed = revokedInStop && goLed < 500 && springLed < 5_000
					&& events.equals(List.of("granted", "revoked", "granted"));
			System.out.println(passed ? "  PASSED (handover within 500 ms; after a crash within the TTL + 3 s)" : "  FAILED " + events);
			return passed;
		}
		finally {
			initiator.stop();
			if (go != null) {
				go.destroyForcibly();
			}
		}
	}

	private static void awaitTrue(java.util.concurrent.Callable<Boolean> condition, String what) throws Exception {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
		while (!condition.call()) {
			if (System.nanoTime() > deadline) {
				throw new IllegalStateException("Not within 30 s: " + what);
			}
			Thread.sleep(10);
		}
	}

	private static String awaitLine(Path file, String start) throws Exception {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
		while (System.nanoTime() < deadline) {
			for (String line : Files.readAllLines(file)) {
				int at = line.indexOf(start);
				if (at >= 0) {
					return line.substring(at);
				}
			}
			Thread.sleep(20);
		}
		throw new IllegalStateException("No '" + start + "' in " + file + " within 60 s:\n" + Files.readString(file));
	}

	private static AutoCloseable server(Client client, String service, String name, int weight, ValueFormat format,
			Map<String, String> metadata) throws IOException {
		Server server = NettyServerBuilder.forAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
			.addService(new EchoService(name))
			.build()
			.start();
		RegistrationKeeper keeper = new RegistrationKeeper(client, new RegistryEntry("/grpclb", service, "127.0.0.1",
				server.getPort(), weight, format, new InstanceMetadata(metadata)), Duration.ofSeconds(10));
		keeper.start();
		return () -> {
			keeper.close();
			server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
		};
	}

	private static Map<String, Integer> run(String binary, String endpoints, String target) throws Exception {
		Process process = new ProcessBuilder(binary, endpoints, target, Integer.toString(CALLS)).redirectErrorStream(true)
			.start();
		String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		if (process.waitFor() != 0) {
			throw new IllegalStateException(binary + " failed:\n" + output);
		}
		Map<String, Integer> counts = new TreeMap<>();
		for (String line : output.split("\n")) {
			String[] parts = line.trim().split("=");
			if (parts.length == 2 && parts[1].matches("\\d+")) {
				counts.put(parts[0], Integer.parseInt(parts[1]));
			}
		}
		return counts;
	}

	private static boolean check(String client, Map<String, Integer> counts, Map<String, Integer> weights) {
		int total = counts.values().stream().mapToInt(Integer::intValue).sum();
		int weightSum = weights.values().stream().mapToInt(Integer::intValue).sum();
		boolean passed = !counts.containsKey("FAILED") && total == CALLS;
		System.out.printf("%n%s, %d calls:%n", client, CALLS);
		for (Map.Entry<String, Integer> server : weights.entrySet()) {
			double expected = 100.0 * server.getValue() / weightSum;
			double observed = 100.0 * counts.getOrDefault(server.getKey(), 0) / Math.max(1, total);
			boolean near = Math.abs(observed - expected) <= 2;
			passed &= near;
			System.out.printf("  %s: expected %.1f%%, observed %.1f%%%s%n", server.getKey(), expected, observed,
					near ? "" : "  <- more than 2 points off");
		}
		if (counts.containsKey("FAILED")) {
			System.out.printf("  failed calls: %d%n", counts.get("FAILED"));
		}
		System.out.println(passed ? "  PASSED" : "  FAILED");
		return passed;
	}

}
