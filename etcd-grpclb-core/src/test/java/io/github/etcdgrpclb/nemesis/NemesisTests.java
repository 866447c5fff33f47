package io.github.etcdgrpclb.nemesis;

import static io.github.etcdgrpclb.etcd.EtcdBytes.bytes;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import io.etcd.jetcd.Client;
import io.github.etcdgrpclb.etcd.EtcdClientDefaults;
import io.github.etcdgrpclb.discovery.DiscoveryStats;
import io.github.etcdgrpclb.discovery.EtcdClientSource;
import io.github.etcdgrpclb.discovery.EtcdNameResolverProvider;
import io.github.etcdgrpclb.discovery.EtcdResolverSettings;
import io.github.etcdgrpclb.support.EchoCalls;
import io.github.etcdgrpclb.support.FencedStore;
import io.github.etcdgrpclb.support.PlainEchoServer;
import io.github.etcdgrpclb.support.nemesis.ActorProcess;
import io.github.etcdgrpclb.support.nemesis.CallRecorder;
import io.github.etcdgrpclb.support.nemesis.ConfigConvergence;
import io.github.etcdgrpclb.support.nemesis.Fault;
import io.github.etcdgrpclb.support.nemesis.FaultInjector;
import io.github.etcdgrpclb.support.nemesis.FencingChecker;
import io.github.etcdgrpclb.support.nemesis.KeyHistory;
import io.github.etcdgrpclb.support.nemesis.LeaderCandidateMain;
import io.github.etcdgrpclb.support.nemesis.LockContenderMain;
import io.github.etcdgrpclb.support.nemesis.Schedule;
import io.github.etcdgrpclb.test.EtcdCluster;
import io.github.etcdgrpclb.test.EtcdExtension;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.NameResolverRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Faults at random, checked by history, in the manner of etcd's robustness tests and Jepsen: a
 * 3-member cluster with auth (tokens expiring every 5 s) under load — a client calling three servers
 * through {@code etcd:///}, two lock contenders and two leader candidates writing to fenced stores,
 * configuration written and watched — while a seeded schedule kills, partitions and pauses members,
 * pauses the servers', contenders' and candidates' JVMs past their lease TTL, and compacts and
 * defragments etcd. Everything is recorded, then checked: calls failed only during faults and no more
 * than were in flight; every server registered within 5 s after each step healed; no two lock holders'
 * or leaders' accepted writes overlapped, in etcd's own order; the configuration converged; no lease,
 * key, watch or thread was left, and the heap after a collection is back near where it was. The seed is printed: {@code -Dgrpclb.nemesis.seed=<seed>} replays a run;
 * {@code -Dgrpclb.nemesis=10m} is the long form (30 s by default).
 */
class NemesisTests {

	private static final Duration LENGTH = Duration.parse("PT" + System.getProperty("grpclb.nemesis", "30s").toUpperCase());

	private static final long SEED = Long.getLong("grpclb.nemesis.seed", System.nanoTime());

	private static final int TTL_SECONDS = 2;

	private static final String PASSWORD = "nemesis-secret";

	@RegisterExtension
	static final EtcdExtension etcd = EtcdExtension
		.of(EtcdCluster.builder().members(3).peerProxies().auth(PASSWORD).authTokenTtl(Duration.ofSeconds(5)));

	private final List<String> violations = new ArrayList<>();

	@Test
	void randomFaultsUnderLoadShouldLeaveAHistoryWithoutViolations() throws Exception {
		Schedule schedule = Schedule.generate(SEED, LENGTH, TTL_SECONDS * 1000L);
		System.out.println("Nemesis " + schedule);
		List<String> threadsBefore = Leaks.threads();
		long heapBefore = Leaks.heapAfterGc();
		long watchersBefore = Leaks.watchers(etcd.etcd()).orElse(0);
		run(schedule); // in a method of its own: no reference of the run outlives its frame for the heap check
		this.violations.addAll(Leaks.checkThreads(threadsBefore, Duration.ofSeconds(10)));
		this.violations.addAll(Leaks.checkWatchers(etcd.etcd(), watchersBefore, Duration.ofSeconds(10)));
		this.violations.addAll(Leaks.checkHeap(heapBefore));
		System.out.println("  violations: " + this.violations.size());
		assertThat(this.violations).as("seed %d", SEED).isEmpty();
	}

	/** Runs the schedule under load and checks what was recorded; the leak checks come after it returned. */
	private void run(Schedule schedule) throws Exception {
		try (Client admin = EtcdClientDefaults.apply(Client.builder()).endpoints(etcd.endpoints().split(",")).user(bytes("root"))
			.password(bytes(PASSWORD)).build()) {
			long start = admin.getKVClient().get(bytes("/")).get(10, TimeUnit.SECONDS).getHeader().getRevision() + 1;
			try (KeyHistory lockKeys = new KeyHistory(admin, "/locks/nemesis/", start);
					KeyHistory leaderKeys = new KeyHistory(admin, "/election/nemesis/", start)) {
				List<String> actorProperties = List.of("nemesis.user=root", "nemesis.password=" + PASSWORD);
				List<ActorProcess> servers = new ArrayList<>();
				List<ActorProcess> contenders = new ArrayList<>();
				List<ActorProcess> candidates = new ArrayList<>();
				for (int i = 0; i < 3; i++) {
					servers.add(ActorProcess.start("server-" + i, PlainEchoServer.class, actorProperties, etcd.endpoints(),
							"nemesis", "server-" + i, "1", Integer.toString(TTL_SECONDS)));
				}
				for (int i = 0; i < 2; i++) {
					contenders.add(ActorProcess.start("contender-" + i, LockContenderMain.class, actorProperties,
							etcd.endpoints(), "nemesis", Integer.toString(TTL_SECONDS), "locked", "contender-" + i));
					candidates.add(ActorProcess.start("candidate-" + i, LeaderCandidateMain.class, actorProperties,
							etcd.endpoints(), "/election/nemesis", Integer.toString(TTL_SECONDS), "led", "candidate-" + i));
				}
				Registrations registrations = new Registrations(admin, servers);
				registrations.await(Duration.ofSeconds(60));
				Map<Fault.Kind, Integer> injected = new EnumMap<>(Fault.Kind.class);
				List<FaultInjector.Active> faults = new ArrayList<>();
				EtcdNameResolverProvider provider = new EtcdNameResolverProvider("nemesis", EtcdClientSource.shared(admin),
						EtcdResolverSettings.DEFAULT, 4, new DiscoveryStats());
				NameResolverRegistry.getDefaultRegistry().register(provider);
				ManagedChannel channel = ManagedChannelBuilder.forTarget("nemesis:///nemesis").usePlaintext().build();
				// The check is that etcd's faults cost no call of a client that knows its servers (a client that
				// starts during a fault has none to call yet): the faults begin once it called all three.
				EchoCalls.awaitServing(channel, 3);
				try (ConfigConvergence config = new ConfigConvergence(etcd.endpoints(), "root", PASSWORD, admin);
						CallRecorder calls = new CallRecorder(channel, 4)) {
					FaultInjector injector = new FaultInjector(etcd.etcd(), admin, servers, contenders, candidates,
							() -> Math.min(lockKeys.reachedRevision(), leaderKeys.reachedRevision()));
					ExecutorService nemesis = Executors.newCachedThreadPool();
					for (Schedule.Step step : schedule.steps()) {
						List<Future<FaultInjector.Active>> running = new ArrayList<>();
						step.faults().forEach((fault) -> running.add(nemesis.submit(() -> injector.inject(fault))));
						for (Future<FaultInjector.Active> fault : running) {
							FaultInjector.Active active = fault.get(5, TimeUnit.MINUTES);
							faults.add(active);
							injected.merge(active.fault().kind(), 1, Integer::sum);
						}
						registrations.afterHeal(step, Duration.ofSeconds(5)).ifPresent(this.violations::add);
						Thread.sleep(step.gapMillis());
					}
					nemesis.shutdown();
					calls.close();
					this.violations.addAll(checkCalls(calls, faults));
					config.close();
					this.violations.addAll(config.check(Duration.ofSeconds(10)));
					report(schedule, injected, calls, registrations, config);
				}
				finally {
					channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
					NameResolverRegistry.getDefaultRegistry().deregister(provider);
					for (ActorProcess actor : concat(servers, contenders, candidates)) {
						actor.stop();
					}
				}
				List<FencingChecker.Write> lockWrites = FencingChecker.acceptedWrites(admin,
						new FencedStore(admin, "locked").logPrefix());
				List<FencingChecker.Write> leaderWrites = FencingChecker.acceptedWrites(admin,
						new FencedStore(admin, "led").logPrefix());
				this.violations.addAll(FencingChecker.check("lock", lockWrites, lockKeys));
				this.violations.addAll(FencingChecker.check("leader", leaderWrites, leaderKeys));
				System.out.printf("  checked: %d accepted lock writes (%d locks taken), %d accepted leader writes (%d terms)%n",
						lockWrites.size(), lockKeys.lifetimes().size(), leaderWrites.size(), leaderKeys.lifetimes().size());
				assertThat(lockWrites).as("the lock contenders wrote").isNotEmpty();
				assertThat(leaderWrites).as("the leaders wrote").isNotEmpty();
				this.violations.addAll(Leaks.check(etcd.etcd(), admin, Duration.ofSeconds(10)));
			}
		}
	}

	/**
	 * A call may fail only while a server of the fleet is paused or restarting (or in the second after
	 * it healed): etcd's faults must cost no call, since clients keep calling the servers they know. And a
	 * server's fault may cost no more failed calls than were in flight: as many as the recorder has
	 * threads, for each such fault.
	 */
	private static List<String> checkCalls(CallRecorder recorder, List<FaultInjector.Active> faults) {
		List<String> found = new ArrayList<>();
		List<FaultInjector.Active> serverFaults = faults.stream()
			.filter((fault) -> fault.fault().kind() == Fault.Kind.PAUSE_SERVER
					|| fault.fault().kind() == Fault.Kind.RESTART_SERVER)
			.toList();
		List<CallRecorder.Call> failed = recorder.calls().stream().filter((call) -> call.server() == null).toList();
		List<CallRecorder.Call> unexplained = failed.stream()
			.filter((call) -> serverFaults.stream().noneMatch((fault) -> fault.overlaps(call.start(), call.end(), 1000)))
			.toList();
		if (!unexplained.isEmpty()) {
			found.add(unexplained.size() + " calls failed while no server was paused or restarting, the first: "
					+ unexplained.subList(0, Math.min(3, unexplained.size())) + ", faults: " + faults);
		}
		long allowed = (long) recorder.threads() * serverFaults.size();
		if (failed.size() > allowed) {
			found.add(failed.size() + " calls failed, more than the " + allowed + " in flight at the servers' faults");
		}
		if (recorder.calls().stream().noneMatch((call) -> call.server() != null)) {
			found.add("no call succeeded");
		}
		return found;
	}

	private static void report(Schedule schedule, Map<Fault.Kind, Integer> injected, CallRecorder calls,
			Registrations registrations, ConfigConvergence config) {
		long failed = calls.calls().stream().filter((call) -> call.server() == null).count();
		System.out.printf("Nemesis seed %d, %d steps: faults %s%n", schedule.seed(), schedule.steps().size(), injected);
		System.out.printf("  checked: %d calls (%d failed, during faults), %d configuration writes%n", calls.calls().size(),
				failed, config.writes());
		System.out.println("  failed calls by status: " + calls.calls().stream().filter((call) -> call.server() == null)
			.collect(Collectors.groupingBy(CallRecorder.Call::code, TreeMap::new, Collectors.counting())));
		System.out.printf("  longest wait for every server to be registered after a step healed: %d ms%n",
				registrations.worstMillis());
	}

	@SafeVarargs
	private static List<ActorProcess> concat(List<ActorProcess>... lists) {
		List<ActorProcess> all = new ArrayList<>();
		for (List<ActorProcess> list : lists) {
			all.addAll(list);
		}
		return all;
	}

}
