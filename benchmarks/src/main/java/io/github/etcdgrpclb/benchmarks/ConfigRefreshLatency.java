package io.github.etcdgrpclb.benchmarks;

import static io.github.etcdgrpclb.etcd.EtcdBytes.bytes;
import static io.github.etcdgrpclb.etcd.EtcdBytes.text;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

import io.etcd.jetcd.Client;
import io.etcd.jetcd.Watch;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.WatchOption;
import io.github.etcdgrpclb.support.RawEtcd;
import io.github.etcdgrpclb.test.EtcdCluster;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * etcd as configuration centre, against a real etcd on loopback, each figure beside its baseline in
 * the same run:
 * <ul>
 * <li>a put of a property -> the {@code @ConfigurationProperties} bean rebound, beside the same put ->
 * a raw jetcd watch event (N changes, default 500);</li>
 * <li>startup of an application importing 1,000 keys, beside the same application without the
 * import, and a fresh jetcd client's Get of the same 1,000 keys (5 alternating rounds).</li>
 * </ul>
 * Run: {@code mvn -q -pl benchmarks exec:java -Dexec.mainClass=io.github.etcdgrpclb.benchmarks.ConfigRefreshLatency}
 */
public final class ConfigRefreshLatency {

	private static final String KEY = "/config/bench/bench.value";

	private ConfigRefreshLatency() {
	}

	public static void main(String[] args) throws Exception {
		int changes = (args.length > 0) ? Integer.parseInt(args[0]) : 500;
		try (EtcdCluster etcd = EtcdCluster.startSingle(); RawEtcd raw = new RawEtcd(etcd.endpoints())) {
			refresh(etcd.endpoints(), raw, changes);
			importTime(etcd.endpoints(), raw, 5);
		}
	}

	private static void refresh(String endpoints, RawEtcd raw, int changes) throws Exception {
		raw.put(KEY, "-1");
		Map<String, Long> watched = new ConcurrentHashMap<>();
		try (Client watching = Client.builder().endpoints(endpoints).build();
				Watch.Watcher watcher = watching.getWatchClient().watch(bytes(KEY), WatchOption.builder().build(),
						(response) -> response.getEvents()
							.forEach((event) -> watched.put(text(event.getKeyValue().getValue()), System.nanoTime())));
				ConfigurableApplicationContext app = start(endpoints, "--spring.config.import=etcd:")) {
			BenchProperties bean = app.getBean(BenchProperties.class);
			double[] rebound = new double[changes];
			double[] raw_ = new double[changes];
			for (int i = 0; i < changes; i++) {
				String value = Integer.toString(i);
				long put = System.nanoTime();
				raw.put(KEY, value);
				spinUntil(() -> value.equals(bean.getValue()));
				rebound[i] = (System.nanoTime() - put) / 1e6;
				spinUntil(() -> watched.containsKey(value));
				raw_[i] = (watched.get(value) - put) / 1e6;
			}
			System.out.println("put -> @ConfigurationProperties bean rebound: " + new Percentiles(rebound).summary());
			System.out.println("put -> raw jetcd watch event (same puts):      " + new Percentiles(raw_).summary());
		}
	}

	private static void importTime(String endpoints, RawEtcd raw, int rounds) throws Exception {
		for (int i = 0; i < 1000; i++) {
			raw.put("/config/bench/bulk.key-" + i, "value-" + i);
		}
		double[] withImport = new double[rounds];
		double[] without = new double[rounds];
		double[] get = new double[rounds];
		start(endpoints).close();
		for (int round = 0; round < rounds; round++) {
			long started = System.nanoTime();
			start(endpoints).close();
			without[round] = (System.nanoTime() - started) / 1e6;
			started = System.nanoTime();
			try (ConfigurableApplicationContext app = start(endpoints, "--spring.config.import=etcd:",
					"--etcd.config.watch.enabled=false")) {
				withImport[round] = (System.nanoTime() - started) / 1e6;
				if (app.getEnvironment().getProperty("bulk.key-999") == null) {
					throw new IllegalStateException("the 1,000 keys were not imported");
				}
			}
			started = System.nanoTime();
			try (Client client = Client.builder().endpoints(endpoints).build()) {
				long count = client.getKVClient()
					.get(bytes("/config/bench/"), GetOption.builder().isPrefix(true).build())
					.get(10, TimeUnit.SECONDS)
					.getCount();
				get[round] = (System.nanoTime() - started) / 1e6;
				if (count < 1000) {
					throw new IllegalStateException("only " + count + " keys");
				}
			}
		}
		System.out.println("startup importing 1,000 keys:          " + new Percentiles(withImport).summary());
		System.out.println("startup of the same app without import: " + new Percentiles(without).summary());
		System.out.println("fresh jetcd client + Get of the 1,000:  " + new Percentiles(get).summary());
	}

	private static ConfigurableApplicationContext start(String endpoints, String... arguments) {
		return new SpringApplicationBuilder(BenchApplication.class).web(WebApplicationType.NONE)
			.properties("etcd.endpoints=" + endpoints, "spring.application.name=bench", "etcd.registry.enabled=false",
					"grpc.server.port=-1", "spring.main.banner-mode=off", "logging.level.root=WARN")
			.run(arguments);
	}

	private static void spinUntil(BooleanSupplier condition) {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
		while (!condition.getAsBoolean()) {
			if (System.nanoTime() > deadline) {
				throw new IllegalStateException("no change within 10 s");
			}
			LockSupport.parkNanos(20_000);
		}
	}

	/** The application measured. */
	@SpringBootConfiguration
	@EnableAutoConfiguration
	@EnableConfigurationProperties(BenchProperties.class)
	static class BenchApplication {

	}

	/** The bound property. */
	@ConfigurationProperties("bench")
	public static class BenchProperties {

		private volatile String value;

		public String getValue() {
			return this.value;
		}

		public void setValue(String value) {
			this.value = value;
		}

	}

}
