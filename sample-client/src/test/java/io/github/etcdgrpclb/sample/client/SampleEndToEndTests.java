package io.github.etcdgrpclb.sample.client;

import static io.github.etcdgrpclb.etcd.EtcdBytes.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import io.etcd.jetcd.Client;
import io.github.etcdgrpclb.sample.server.ReportProperties;
import io.github.etcdgrpclb.sample.server.ReportWriter;
import io.github.etcdgrpclb.sample.server.SampleServerApplication;
import io.github.etcdgrpclb.test.EtcdExtension;
import io.github.etcdgrpclb.registry.ServerRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The samples as the demo runs them, in-process: three sample servers with weights 1, 2 and 5 and
 * the sample client, against a real etcd.
 */
class SampleEndToEndTests {

	@RegisterExtension
	static final EtcdExtension etcd = EtcdExtension.single();

	// Both samples' application.yml are on this class path; each app is pointed at its own.
	private static final String SERVER_CONFIG = "--spring.config.location=file:../sample-server/src/main/resources/application.yml";

	private static final String CLIENT_CONFIG = "--spring.config.location=file:src/main/resources/application.yml";

	private static final String INTERVAL_KEY = "/config/simple_grpc/sample.report.interval";

	private final List<ConfigurableApplicationContext> servers = new ArrayList<>();

	@AfterEach
	void stopServers() {
		this.servers.forEach(ConfigurableApplicationContext::close);
	}

	@Test
	void clientTableShouldShowEveryServerWithItsWeightAndAShareThatMatchesIt() {
		Map<String, Integer> weights = Map.of(startServer(1), 1, startServer(2), 2, startServer(5), 5);
		// Command-line arguments, as the demo passes them: builder properties would lose to application.yml.
		try (ConfigurableApplicationContext client = new SpringApplicationBuilder(SampleClientApplication.class)
			.run(CLIENT_CONFIG, "--etcd.endpoints=" + etcd.endpoints(), "--demo.calls=2000", "--demo.rate=0", "--demo.await-servers=3")) {
			CallTable table = client.getBean(DemoRunner.class).lastTable();
			assertThat(table.failed()).isZero();
			assertThat(table.answered()).isEqualTo(2000);
			Map<String, CallTable.Row> rows = table.rows().stream().collect(Collectors.toMap(CallTable.Row::server, (r) -> r));
			assertThat(rows.keySet()).containsExactlyInAnyOrderElementsOf(weights.keySet());
			weights.forEach((server, weight) -> {
				CallTable.Row row = rows.get(server);
				assertThat(row.weight()).isEqualTo(weight);
				assertThat(row.expectedShare()).isCloseTo(weight / 8.0, within(1e-9));
				// 2,000 calls: one standard deviation of a share is at most 1.1 points; 5 points is over 4.
				assertThat(row.observedShare()).as(server).isCloseTo(row.expectedShare(), within(0.05));
			});
		}
	}

	@Test
	void reportShouldBeWrittenByBothServersButNeverByTwoAtOnce() {
		startServer(1);
		startServer(1);
		List<ReportWriter> writers = this.servers.stream().map((server) -> server.getBean(ReportWriter.class)).toList();
		await().atMost(Duration.ofSeconds(20))
			.until(() -> writers.stream().allMatch((writer) -> writer.written().size() >= 5));
		List<ReportWriter.Report> reports = writers.stream()
			.flatMap((writer) -> writer.written().stream())
			.sorted(Comparator.comparing(ReportWriter.Report::started))
			.toList();
		for (int i = 1; i < reports.size(); i++) {
			assertThat(reports.get(i).started()).as("report %d starts after report %d finished", i, i - 1)
				.isAfterOrEqualTo(reports.get(i - 1).finished());
			assertThat(reports.get(i).token()).isGreaterThan(reports.get(i - 1).token());
		}
	}

	@Test
	void reportIntervalShouldComeFromEtcdAndFollowItsChangesLive() throws Exception {
		try (Client client = Client.builder().endpoints(etcd.endpoints()).build()) {
			client.getKVClient().put(bytes(INTERVAL_KEY), bytes("1h")).get();
			ConfigurableApplicationContext server = startServer(SERVER_CONFIG, "--etcd.endpoints=" + etcd.endpoints(),
					"--grpc.server.port=0", "--etcd.registry.drain-delay=0s", "--sample.report.work=1ms");
			ReportProperties report = server.getBean(ReportProperties.class);
			assertThat(report.getInterval()).isEqualTo(Duration.ofHours(1));
			client.getKVClient().put(bytes(INTERVAL_KEY), bytes("20ms")).get();
			await().atMost(Duration.ofSeconds(5)).until(() -> report.getInterval().equals(Duration.ofMillis(20)));
			// The hour-long wait already scheduled is replaced at once by the new interval.
			await().atMost(Duration.ofSeconds(5)).until(() -> server.getBean(ReportWriter.class).written().size() >= 3);
			client.getKVClient().delete(bytes(INTERVAL_KEY)).get();
		}
	}

	/** Starts a sample server on a free port; returns its address as etcd and the client know it. */
	private String startServer(int weight) {
		ConfigurableApplicationContext server = startServer(SERVER_CONFIG, "--etcd.endpoints=" + etcd.endpoints(),
				"--grpc.server.port=0", "--grpc.weight=" + weight, "--etcd.registry.drain-delay=0s",
				"--sample.report.interval=20ms", "--sample.report.work=30ms");
		return server.getBean(ServerRegistry.class).statuses().get(0).registration().address();
	}

	private ConfigurableApplicationContext startServer(String... arguments) {
		ConfigurableApplicationContext server = new SpringApplicationBuilder(SampleServerApplication.class).run(arguments);
		this.servers.add(server);
		return server;
	}

}
