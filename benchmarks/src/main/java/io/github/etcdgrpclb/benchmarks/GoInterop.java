package io.github.etcdgrpclb.benchmarks;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import io.etcd.jetcd.Client;
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
 * Java servers that carry metadata, read by Go clients as they were written before metadata existed:
 * the Go tutorial's weighted client (plain weights under /grpclb/<service>/) must still split by
 * weight, and etcd's own Go naming resolver (JSON values) must still find every address. Each check
 * prints the split and fails (exit 1) when a share is more than 2 points off or a call failed.
 * Run by {@code interop/go/run.sh}, which builds the Go clients with Debian's Go packages:
 * {@code java ... GoInterop <weight-client binary> <naming-client binary>}.
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
			Map<String, Integer> even = new LinkedHashMap<>();
			weights.keySet().forEach((name) -> even.put(name, 1));
			boolean naming = check("etcd's Go naming resolver with round_robin (etcd:////grpclb/naming)",
					run(args[1], etcd.endpoints(), "/grpclb/naming"), even);
			passed = tutorial && naming;
			for (AutoCloseable server : servers) {
				server.close();
			}
		}
		System.exit(passed ? 0 : 1);
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
