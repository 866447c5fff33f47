package io.github.etcdgrpclb.sample.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import io.github.etcdgrpclb.test.EtcdExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A mixed fleet under one service: a Spring Boot 3.5 (net.devh) sample server and a Spring Boot 4.1
 * (Spring Boot gRPC) sample server, each in its own JVM as built by this reactor, called by the
 * sample client of the line this test is compiled into (both sample clients run it): both serve, by
 * weight; with zones, a client stays with the servers of its zone, of either line.
 */
class MixedFleetTests {

	@RegisterExtension
	static final EtcdExtension etcd = EtcdExtension.single();

	private static final String CLIENT_CONFIG = "--spring.config.location=file:src/main/resources/application.yml";

	private final List<Process> servers = new ArrayList<>();

	@AfterEach
	void stopServers() throws InterruptedException {
		for (Process server : this.servers) {
			server.destroy();
			if (!server.waitFor(30, TimeUnit.SECONDS)) {
				server.destroyForcibly();
			}
		}
	}

	@Test
	void clientShouldSpreadCallsOverServersOfBothLinesByWeight() throws Exception {
		startServer("../sample-server/target/sample-server-0.1.0-SNAPSHOT-exec.jar", 1);
		startServer("../sample-server-boot4/target/sample-server-boot4-0.1.0-SNAPSHOT-exec.jar", 3);
		try (ConfigurableApplicationContext client = new SpringApplicationBuilder(SampleClientApplication.class)
			.run(CLIENT_CONFIG, "--etcd.endpoints=" + etcd.endpoints(), "--demo.calls=2000", "--demo.rate=0",
					"--demo.await-servers=2")) {
			CallTable table = client.getBean(DemoRunner.class).lastTable();
			assertThat(table.failed()).isZero();
			assertThat(table.answered()).isEqualTo(2000);
			Map<Integer, CallTable.Row> byWeight = table.rows()
				.stream()
				.collect(Collectors.toMap(CallTable.Row::weight, (row) -> row));
			assertThat(byWeight).containsOnlyKeys(1, 3);
			// 2,000 calls: one standard deviation of a share is at most 1.1 points; 5 points is over 4.
			assertThat(byWeight.get(1).observedShare()).isCloseTo(0.25, within(0.05));
			assertThat(byWeight.get(3).observedShare()).isCloseTo(0.75, within(0.05));
		}
	}

	@Test
	void clientShouldStayInItsZoneAcrossServersOfBothLines() throws Exception {
		startServer("../sample-server/target/sample-server-0.1.0-SNAPSHOT-exec.jar", 1, "--etcd.registry.metadata.zone=a");
		startServer("../sample-server-boot4/target/sample-server-boot4-0.1.0-SNAPSHOT-exec.jar", 3,
				"--etcd.registry.metadata.zone=a");
		startServer("../sample-server/target/sample-server-0.1.0-SNAPSHOT-exec.jar", 2, "--etcd.registry.metadata.zone=b");
		try (ConfigurableApplicationContext client = new SpringApplicationBuilder(SampleClientApplication.class)
			.run(CLIENT_CONFIG, "--etcd.endpoints=" + etcd.endpoints(), "--demo.calls=2000", "--demo.rate=0",
					"--demo.await-servers=3", "--etcd.discovery.zone=a", "--demo.check-split=false")) {
			CallTable table = client.getBean(DemoRunner.class).lastTable();
			assertThat(table.failed()).isZero();
			Map<Integer, Long> callsByWeight = table.rows()
				.stream()
				.collect(Collectors.toMap(CallTable.Row::weight, CallTable.Row::calls));
			assertThat(callsByWeight.getOrDefault(2, 0L)).as("zone b's server, of %s", callsByWeight).isZero();
			// Zone a's two servers, 1:3, as etcd's weights say: within 5 points (over 4 deviations).
			assertThat(callsByWeight.get(1) / 2000.0).isCloseTo(0.25, within(0.05));
			assertThat(callsByWeight.get(3) / 2000.0).isCloseTo(0.75, within(0.05));
		}
	}

	private void startServer(String jar, int weight, String... arguments) throws Exception {
		Path path = Path.of(jar);
		assertThat(path).as("built by this reactor before this module's tests").exists();
		Path log = Files.createTempFile("sample-server-w" + weight, ".log");
		List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
				"-jar", path.toString(), "--etcd.endpoints=" + etcd.endpoints(), "--grpc.server.port=0",
				"--grpc.weight=" + weight, "--etcd.registry.drain-delay=0s"));
		command.addAll(List.of(arguments));
		Process server = new ProcessBuilder(command)
			.redirectErrorStream(true)
			.redirectOutput(log.toFile())
			.start();
		this.servers.add(server);
	}

}
