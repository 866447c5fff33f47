package io.github.etcdgrpclb.benchmarks;

import static io.github.etcdgrpclb.etcd.EtcdBytes.bytes;
import static io.github.etcdgrpclb.etcd.EtcdBytes.text;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.etcd.jetcd.Watch;
import io.etcd.jetcd.options.WatchOption;
import io.etcd.jetcd.watch.WatchEvent;
import io.github.etcdgrpclb.registry.ServerRegistry;
import io.github.etcdgrpclb.registry.RegistrationState;
import io.github.etcdgrpclb.spring.support.EchoServerApplication;
import io.github.etcdgrpclb.support.RawEtcd;
import io.github.etcdgrpclb.test.EtcdCluster;

import org.springframework.context.ConfigurableApplicationContext;

/**
 * Measures the registration lifecycle against a real etcd on loopback:
 * <ul>
 * <li>GrpcServerStartedEvent -> key visible (a watch event at a separate client), 20 runs;</li>
 * <li>context close started -> key gone (DELETE event), same runs;</li>
 * <li>etcd killed past the TTL and restarted -> registered again (from etcd serving again), 5 runs.</li>
 * </ul>
 * Run: {@code mvn -q -pl benchmarks exec:java -Dexec.mainClass=io.github.etcdgrpclb.benchmarks.RegistrationLatency}
 */
public final class RegistrationLatency {

	private static final String PREFIX = "/grpclb/echo/";

	private RegistrationLatency() {
	}

	public static void main(String[] args) throws Exception {
		int runs = (args.length > 0) ? Integer.parseInt(args[0]) : 20;
		try (EtcdCluster etcd = EtcdCluster.startSingle(); RawEtcd raw = new RawEtcd(etcd.endpoints())) {
			Map<String, Long> putSeen = new ConcurrentHashMap<>();
			Map<String, Long> deleteSeen = new ConcurrentHashMap<>();
			try (Watch.Watcher watcher = raw.client()
				.getWatchClient()
				.watch(bytes(PREFIX), WatchOption.builder().isPrefix(true).build(), (response) -> {
					long now = System.nanoTime();
					for (WatchEvent event : response.getEvents()) {
						String key = text(event.getKeyValue().getKey());
						(event.getEventType() == WatchEvent.EventType.PUT ? putSeen : deleteSeen).putIfAbsent(key, now);
					}
				})) {
				double[] register = new double[runs];
				double[] deregister = new double[runs];
				for (int i = 0; i < runs; i++) {
					putSeen.clear();
					deleteSeen.clear();
					ConfigurableApplicationContext context = EchoServerApplication.start(etcd.endpoints(),
							"logging.level.root=WARN");
					EchoServerApplication.ServerPort port = context.getBean(EchoServerApplication.ServerPort.class);
					String key = PREFIX + "127.0.0.1:" + port.get();
					waitFor(() -> putSeen.containsKey(key));
					register[i] = millis(putSeen.get(key) - port.startedNanos());
					long closeStarted = System.nanoTime();
					context.close();
					waitFor(() -> deleteSeen.containsKey(key));
					deregister[i] = millis(deleteSeen.get(key) - closeStarted);
				}
				System.out.println("started event -> key visible:   " + new Percentiles(register).summary());
				System.out.println("context close -> key gone:      " + new Percentiles(deregister).summary());
			}
			double[] recovery = new double[5];
			try (ConfigurableApplicationContext context = EchoServerApplication.start(etcd.endpoints(),
					"logging.level.root=WARN")) {
				ServerRegistry registration = context.getBean(ServerRegistry.class);
				for (int i = 0; i < recovery.length; i++) {
					waitFor(() -> registration.statuses().get(0).state() == RegistrationState.REGISTERED);
					etcd.member(0).kill();
					waitFor(() -> registration.statuses().get(0).state() == RegistrationState.RECONNECTING);
					etcd.member(0).start();
					long restarted = System.nanoTime();
					waitFor(() -> registration.statuses().get(0).state() == RegistrationState.REGISTERED);
					recovery[i] = millis(System.nanoTime() - restarted);
				}
			}
			System.out.println("etcd restarted -> registered:   " + new Percentiles(recovery).summary()
					+ " (from etcd serving again; ttl 2s)");
		}
	}

	private static double millis(long nanos) {
		return nanos / 1e6;
	}

	private static void waitFor(java.util.function.BooleanSupplier condition) throws InterruptedException {
		long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
		while (!condition.getAsBoolean()) {
			if (System.nanoTime() > deadline) {
				throw new IllegalStateException("Condition not met within 30 s");
			}
			Thread.sleep(1);
		}
	}

}
