package io.github.etcdgrpclb.discovery;

import static io.github.etcdgrpclb.etcd.EtcdBytes.bytes;
import static io.github.etcdgrpclb.support.EchoCalls.assertFits;
import static io.github.etcdgrpclb.support.EchoCalls.awaitEtcdWeights;
import static io.github.etcdgrpclb.support.EchoCalls.awaitServing;
import static io.github.etcdgrpclb.support.EchoCalls.call;
import static io.github.etcdgrpclb.support.EchoCalls.tryCall;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.DeleteOption;
import io.etcd.jetcd.options.PutOption;
import io.github.etcdgrpclb.balancer.WeightBalancers;
import io.github.etcdgrpclb.support.CallLoad;
import io.github.etcdgrpclb.support.EchoServerProcess;
import io.github.etcdgrpclb.support.EchoService;
import io.github.etcdgrpclb.support.PlainEchoServer;
import io.github.etcdgrpclb.support.RawEtcd;
import io.github.etcdgrpclb.test.EtcdExtension;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.NameResolverRegistry;
import io.grpc.stub.ClientCalls;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Plain grpc-java channels on {@code etcd://<endpoint>/<service>} (the META-INF/services providers,
 * no Spring) against real servers on loopback registered in a real etcd.
 */
class EtcdDiscoveryIntegrationTests {

	@RegisterExtension
	static final EtcdExtension etcd = EtcdExtension.single();

	@RegisterExtension
	static final RawEtcd raw = RawEtcd.of(etcd);

	private final List<AutoCloseable> resources = new ArrayList<>();

	@AfterEach
	void closeResources() throws Exception {
		for (int i = this.resources.size() - 1; i >= 0; i--) {
			this.resources.get(i).close();
		}
	}

	@Test
	void callsShouldBeSpreadInProportionToTheWeights() {
		server("weights", "a", 1);
		server("weights", "b", 2);
		server("weights", "c", 5);
		ManagedChannel channel = channel("etcd", "weights");
		awaitServing(channel, 3);
		awaitEtcdWeights(channel);
		Map<String, Long> counts = call(channel, 8000);
		assertFits(counts, Map.of("a", 1, "b", 2, "c", 5));
	}

	@Test
	void grpclbSchemeOfTheGoTutorialShouldResolveTheSame() {
		server("tutorial", "a", 1);
		ManagedChannel channel = channel("grpclb", "tutorial");
		assertThat(call(channel, "x")).isEqualTo("a:x");
	}

	@Test
	void tutorialEntryWrittenByEtcdctlShouldBeDiscovered() throws Exception {
		PlainEchoServer server = server("other_name", "go", 1);
		// The Go tutorial's server writes this key with this plain value; etcdctl writes the same bytes.
		etcdctl("put", "/grpclb/simple_grpc/127.0.0.1:" + server.port(), "3");
		ManagedChannel channel = channel("etcd", "simple_grpc");
		assertThat(call(channel, "hello")).isEqualTo("go:hello");
	}

	@Test
	void serviceShouldNotSeeTheServersOfAServiceWhoseNameItPrefixes() {
		server("foo", "foo-1", 1);
		server("foobar", "foobar-1", 1);
		ManagedChannel channel = channel("etcd", "foo");
		awaitServing(channel, 1);
		assertThat(call(channel, 200)).containsOnlyKeys("foo-1");
	}

	@Test
	void addedServerShouldGetCallsAndRemovedServerShouldFailNoCall() throws Exception {
		server("churn", "a", 1);
		PlainEchoServer leaving = server("churn", "b", 1);
		ManagedChannel channel = channel("etcd", "churn");
		awaitServing(channel, 2);
		CallLoad load = new CallLoad(channel, 4);
		try (load) {
			server("churn", "c", 2);
			await().atMost(Duration.ofSeconds(5)).until(() -> load.answeredBy("c") > 50);
			// Graceful removal: deregister (revoke), let the channel drop it, then stop the server.
			leaving.registrar().deregister(Duration.ofSeconds(5));
			AtomicLong lastSeenB = new AtomicLong(-1);
			await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(300)).until(() -> {
				long now = load.answeredBy("b");
				return now == lastSeenB.getAndSet(now);
			});
			leaving.close();
			long aBefore = load.answeredBy("a");
			await().atMost(Duration.ofSeconds(5)).until(() -> load.answeredBy("a") > aBefore + 200);
		}
		assertThat(load.failed()).isZero();
	}

	@Test
	void serversPutOrDeletedInOneTransactionShouldAllBeSeen() throws Exception {
		server("together", "a", 1);
		ManagedChannel channel = channel("etcd", "together");
		awaitServing(channel, 1);
		// One revision for both keys, twice: every event of it counts, not just the first.
		raw.client().getKVClient().txn()
			.Then(Op.put(bytes("/grpclb/together/localhost:1"), bytes("1"), PutOption.DEFAULT),
					Op.put(bytes("/grpclb/together/localhost:2"), bytes("1"), PutOption.DEFAULT))
			.commit()
			.get(5, TimeUnit.SECONDS);
		await().atMost(Duration.ofSeconds(5)).until(() -> backends("together") == 3);
		raw.client().getKVClient()
			.delete(bytes("/grpclb/together/localhost:"), DeleteOption.builder().isPrefix(true).build())
			.get(5, TimeUnit.SECONDS);
		await().atMost(Duration.ofSeconds(5)).until(() -> backends("together") == 1);
	}

	private static int backends(String target) {
		return WeightBalancers.snapshots()
			.stream()
			.filter((balancer) -> balancer.target().equals(target))
			.mapToInt((balancer) -> balancer.backends().size())
			.sum();
	}

	@Test
	void weightChangeShouldShiftTheShares() {
		server("reweigh", "a", 1);
		PlainEchoServer b = server("reweigh", "b", 1);
		ManagedChannel channel = channel("etcd", "reweigh");
		awaitServing(channel, 2);
		b.registrar().updateWeight(4).join();
		// Equal weights give b half the calls; once the new picker is in, b gets about 80%.
		await().atMost(Duration.ofSeconds(5)).until(() -> call(channel, 200).getOrDefault("b", 0L) > 140);
		awaitEtcdWeights(channel);
		assertFits(call(channel, 5000), Map.of("a", 1, "b", 4));
	}

	@Test
	void killedServerProcessShouldCostOnlyTheCallsInFlightOnIt() throws Exception {
		server("crash", "a", 1);
		Process other = startServerProcess("crash", "killed", 1);
		ManagedChannel channel = channel("etcd", "crash");
		awaitServing(channel, 2);
		CallLoad load = new CallLoad(channel, 4);
		try (load) {
			long beforeKill = load.succeeded();
			await().atMost(Duration.ofSeconds(5)).until(() -> load.succeeded() > beforeKill + 500);
			other.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
			long afterKill = load.succeeded();
			// Its key goes with its lease: within the TTL (2 s) + 1 s of the kill.
			await().atMost(Duration.ofSeconds(3)).until(() -> raw.list("/grpclb/crash/").size() == 1);
			await().atMost(Duration.ofSeconds(10)).until(() -> load.succeeded() > afterKill + 2000);
		}
		// At most the 4 calls in flight on the killed server may fail (gRPC retries the others).
		assertThat(load.failed()).isLessThanOrEqualTo(4);
	}

	@Test
	void etcdDownShouldNotStopCallsToKnownServersAndNewServersShouldBeSeenAfterItsReturn() throws Exception {
		server("outage", "a", 1);
		ManagedChannel channel = channel("etcd", "outage");
		awaitServing(channel, 1);
		try (ResolverLog log = ResolverLog.capture()) {
			etcd.etcd().member(0).stop();
			try {
				long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
				int calls = 0;
				while (System.nanoTime() < deadline) {
					assertThat(call(channel, "x")).isEqualTo("a:x");
					calls++;
				}
				assertThat(calls).isGreaterThan(100);
			}
			finally {
				etcd.etcd().member(0).start();
			}
			server("outage", "b", 1);
			await().atMost(Duration.ofSeconds(10)).until(() -> call(channel, 400).containsKey("b"));
			// One line when etcd went away (however many retries failed), one when it answered again.
			assertThat(log.lines("WARN")).singleElement()
				.asString()
				.contains("Cannot list /grpclb/outage/ in etcd")
				.contains("outage keeps calling its 1 last known servers until etcd answers");
			assertThat(log.lines("INFO")).singleElement().asString().contains("etcd answers again for /grpclb/outage/");
		}
	}

	@Test
	void emptyServiceShouldFailFastCallsAndHoldWaitForReadyCallsUntilAServerRegisters() throws Exception {
		ManagedChannel channel = channel("etcd", "nobody");
		assertThat(tryCall(channel)).isEqualTo("UNAVAILABLE");
		Future<String> waiting = ClientCalls.futureUnaryCall(
				channel.newCall(EchoService.ECHO, CallOptions.DEFAULT.withWaitForReady().withDeadlineAfter(20, TimeUnit.SECONDS)),
				"w");
		assertThat(tryCall(channel)).isEqualTo("UNAVAILABLE"); // still empty: the waiting call has not failed
		assertThat(waiting).isNotDone();
		server("nobody", "late", 1);
		assertThat(waiting.get(10, TimeUnit.SECONDS)).isEqualTo("late:w");
		await().atMost(Duration.ofSeconds(5)).until(() -> "late:x".equals(tryCall(channel)));
	}

	@Test
	void malformedEntriesShouldBeSkippedAndValidServersStillUsed() {
		server("hostile", "a", 2);
		server("hostile", "b", 1);
		for (int i = 0; i < 100; i++) {
			raw.put("/grpclb/hostile/bad-" + i + (i % 2 == 0 ? "" : ":99999"), "1");
		}
		for (int i = 0; i < 100; i++) {
			// Valid addresses nobody listens on, with values that count as weight 1.
			raw.put("/grpclb/hostile/127.0.0.1:" + (1 + i), (i % 2 == 0) ? "\u0000\u00ff" : "{\"weight\": \"x\"}");
		}
		ManagedChannel channel = channel("etcd", "hostile");
		await().atMost(Duration.ofSeconds(10)).until(() -> call(channel, 300).keySet().containsAll(List.of("a", "b")));
		assertThat(call(channel, 600)).containsOnlyKeys("a", "b");
	}

	@Test
	void compactionPastTheWatchRevisionShouldLeadToANewList() throws Exception {
		server("compacted", "a", 1);
		try (io.github.etcdgrpclb.test.TcpProxy proxy = new io.github.etcdgrpclb.test.TcpProxy(
				etcd.etcd().member(0).clientEndpoint())) {
			ManagedChannel channel = track(ManagedChannelBuilder
				.forTarget("etcd://" + proxy.endpoint("http").getAuthority() + "/compacted")
				.usePlaintext()
				.build());
			awaitServing(channel, 1);
			proxy.block();
			PlainEchoServer b = server("compacted", "b", 1);
			await().atMost(Duration.ofSeconds(5)).until(() -> raw.get("/grpclb/compacted/127.0.0.1:" + b.port()) != null);
			for (int i = 0; i < 20; i++) {
				raw.put("/unrelated/" + i, "x");
			}
			long revision = raw.client().getKVClient().get(io.github.etcdgrpclb.etcd.EtcdBytes.bytes("/unrelated/0"))
				.get(5, TimeUnit.SECONDS).getHeader().getRevision();
			raw.client().getKVClient().compact(revision).get(5, TimeUnit.SECONDS);
			proxy.unblock();
			await().atMost(Duration.ofSeconds(15)).until(() -> call(channel, 400).containsKey("b"));
		}
	}

	@Test
	void etcdWipedAndStartedEmptyShouldBeFollowedFromItsNewRevisions() throws Exception {
		for (int i = 0; i < 50; i++) {
			// The revision of the channel's first list is now far above any the empty etcd reaches below.
			raw.put("/unrelated/before-wipe-" + i, "x");
		}
		PlainEchoServer a = server("wiped", "a", 1);
		ManagedChannel channel = channel("etcd", "wiped");
		awaitServing(channel, 1);
		etcd.etcd().member(0).wipe();
		etcd.etcd().member(0).start();
		// The server's lease went with the data: it registers again by itself, at a low revision.
		await().atMost(Duration.ofSeconds(15)).until(() -> raw.get("/grpclb/wiped/127.0.0.1:" + a.port()) != null);
		server("wiped", "b", 1);
		// A watch resumed after the revision seen before the wipe would wait for revision 50-something:
		// b would never be seen.
		await().atMost(Duration.ofSeconds(10)).until(() -> call(channel, 400).containsKey("b"));
	}

	/** gRPC stops the resolver of an idle channel: the target says so, with what it last knew. */
	@Test
	void idleChannelShouldShowItsTargetIdleWithTheLastKnownInstances() {
		PlainEchoServer server = server("idle", "a", 3);
		// A scheme of its own, to read this provider's targets.
		EtcdNameResolverProvider provider = new EtcdNameResolverProvider("etcd-idle", new EndpointsClientSource(),
				EtcdResolverSettings.DEFAULT, 1, new DiscoveryStats());
		NameResolverRegistry.getDefaultRegistry().register(provider);
		this.resources.add(() -> NameResolverRegistry.getDefaultRegistry().deregister(provider));
		ManagedChannel channel = track(ManagedChannelBuilder
			.forTarget("etcd-idle://" + etcd.etcd().member(0).clientEndpoint().getAuthority() + "/idle")
			.idleTimeout(1, TimeUnit.SECONDS)
			.usePlaintext()
			.build());
		assertThat(call(channel, "x")).isEqualTo("a:x");
		ResolvedTarget watching = provider.targets().get(0);
		assertThat(watching.state()).isEqualTo(ResolvedTarget.State.WATCHING);

		// One snapshot per look: gRPC swaps the idle channel's resolver for a new one, and in between the
		// provider lists no target (a CI run read size 1, then an empty list).
		AtomicReference<ResolvedTarget> idleTarget = new AtomicReference<>();
		await().atMost(Duration.ofSeconds(10)).until(() -> {
			List<ResolvedTarget> targets = provider.targets();
			idleTarget.set((targets.size() == 1) ? targets.get(0) : null);
			return idleTarget.get() != null && idleTarget.get().state() == ResolvedTarget.State.IDLE;
		});
		ResolvedTarget idle = idleTarget.get();
		assertThat(idle.instances()).extracting(ServiceInstance::address, ServiceInstance::weight)
			.containsExactly(tuple("127.0.0.1:" + server.port(), 3));
		assertThat(idle.lastUpdate()).isEqualTo(watching.lastUpdate());

		// The next call starts the resolver gRPC made when the channel went idle.
		assertThat(call(channel, "y")).isEqualTo("a:y");
	}

	private PlainEchoServer server(String service, String name, int weight) {
		PlainEchoServer server = new PlainEchoServer(raw.client(), "/grpclb", service, name, weight,
				Duration.ofSeconds(2));
		this.resources.add(server);
		await().atMost(Duration.ofSeconds(5))
			.until(() -> raw.get("/grpclb/" + service + "/127.0.0.1:" + server.port()) != null);
		return server;
	}

	private Process startServerProcess(String service, String name, int weight) throws Exception {
		EchoServerProcess server = EchoServerProcess.start(etcd.endpoints(), service, name, weight, 2, null);
		this.resources.add(server);
		return server.process();
	}

	private ManagedChannel channel(String scheme, String service) {
		return track(ManagedChannelBuilder.forTarget(scheme + "://" + etcd.etcd().member(0).clientEndpoint().getAuthority()
				+ "/" + service).usePlaintext().build());
	}

	private ManagedChannel track(ManagedChannel channel) {
		this.resources.add(channel::shutdownNow);
		return channel;
	}

	static void etcdctl(String... args) throws Exception {
		List<String> command = new ArrayList<>(List.of("etcdctl", "--endpoints=" + etcd.endpoints()));
		command.addAll(List.of(args));
		ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
		builder.environment().put("ETCDCTL_API", "3");
		Process process;
		try {
			process = builder.start();
		}
		catch (java.io.IOException ex) {
			throw new AssertionError("etcdctl is needed (apt-get install -y etcd-client): " + ex.getMessage(), ex);
		}
		String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertThat(process.waitFor()).as("etcdctl %s: %s", args, output).isZero();
	}

}
