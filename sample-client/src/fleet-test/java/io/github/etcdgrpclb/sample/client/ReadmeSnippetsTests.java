package io.github.etcdgrpclb.sample.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

import io.github.etcdgrpclb.sample.server.SampleServerApplication;
import io.github.etcdgrpclb.test.EtcdExtension;
import io.github.etcdgrpclb.test.ReadmeSnippets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.util.ClassUtils;

/**
 * The README's server and client snippets of the Spring line this test is compiled into (both
 * sample clients run it), pasted as they are into the samples' applications (their own
 * application.yml replaced), serve calls. Only what the snippets leave to the reader changes: the
 * etcd endpoints, the advertised address (the snippet's 10.0.0.12 is an example) and the ports (0,
 * so that tests never collide).
 */
class ReadmeSnippetsTests {

	/** Spring Boot 4.1's gRPC is on the class path of the Boot 4.1 sample client only. */
	private static final boolean BOOT4 = ClassUtils.isPresent("org.springframework.grpc.client.GrpcChannelFactory",
			null);

	private static final String LINE = BOOT4 ? "boot41" : "boot35";

	private static final String SERVER_PORT = BOOT4 ? "spring.grpc.server.port" : "grpc.server.port";

	private static final String SERVER_ADDRESS = BOOT4 ? "spring.grpc.server.address" : "grpc.server.address";

	@RegisterExtension
	static final EtcdExtension etcd = EtcdExtension.single();

	static final ReadmeSnippets readme = ReadmeSnippets.of(Path.of("../README.md"));

	@Test
	void serverAndClientSnippetsShouldServeCallsByWeight(@TempDir Path folder) {
		Path server = readme.write(LINE + "-server", folder.resolve("server.yml"));
		Path client = readme.write(LINE + "-client", folder.resolve("client.yml"));
		try (ConfigurableApplicationContext sampleServer = new SpringApplicationBuilder(SampleServerApplication.class)
			.run("--spring.config.location=file:" + server, "--etcd.endpoints=" + etcd.endpoints(),
					"--etcd.registry.address=127.0.0.1", "--" + SERVER_PORT + "=0", "--" + SERVER_ADDRESS + "=127.0.0.1",
					"--etcd.registry.drain-delay=0s");
				ConfigurableApplicationContext sampleClient = new SpringApplicationBuilder(SampleClientApplication.class)
					.run("--spring.config.location=file:" + client, "--etcd.endpoints=" + etcd.endpoints(),
							"--" + SERVER_PORT + "=0", "--spring.main.web-application-type=none", "--demo.calls=50",
							"--demo.rate=0", "--demo.await-servers=1")) {
			CallTable table = sampleClient.getBean(DemoRunner.class).lastTable();
			assertThat(table.failed()).isZero();
			assertThat(table.answered()).isEqualTo(50);
			assertThat(table.rows()).singleElement().satisfies((row) -> assertThat(row.weight()).isEqualTo(4));
		}
	}

}
