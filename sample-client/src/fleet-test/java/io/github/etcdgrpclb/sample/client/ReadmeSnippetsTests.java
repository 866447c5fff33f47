package io.github.etcdgrpclb.sample.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.github.etcdgrpclb.sample.server.SampleServerApplication;
import io.github.etcdgrpclb.test.EtcdExtension;
import io.github.etcdgrpclb.registry.ServerRegistry;
import io.github.etcdgrpclb.sample.api.SimpleGrpc;
import io.github.etcdgrpclb.sample.api.SimpleRequest;
import io.github.etcdgrpclb.test.JavaSnippet;
import io.github.etcdgrpclb.test.ReadmeSnippets;
import io.github.etcdgrpclb.test.SnippetCompiler;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.io.DefaultResourceLoader;
import org.springframework.util.ClassUtils;

/**
 * The README's server and client snippets of the Spring line this test is compiled into (both
 * sample clients run it), pasted as they are into the samples' applications (their own
 * application.yml replaced) or, for the Java client, compiled into a new application, serve calls. Only what the snippets leave to the reader changes: the
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
	void serverAndClientSnippetsShouldServeCallsByWeight(@TempDir Path folder) throws Exception {
		Path client = readme.write(LINE + "-client", folder.resolve("client.yml"));
		try (ConfigurableApplicationContext sampleServer = startServer(folder);
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

	/**
	 * The line's Java client snippet (a {@code @GrpcClient} field on Boot 3.5, a stub bean from
	 * {@code GrpcChannelFactory} on Boot 4.1), compiled as pasted into a new application with the
	 * client's YAML snippet, calls the sample server through etcd.
	 */
	@Test
	void javaClientSnippetShouldCallTheServerThroughEtcd(@TempDir Path folder) throws Exception {
		Path client = readme.write(LINE + "-client", folder.resolve("client.yml"));
		JavaSnippet snippet = readme.java(LINE + "-client-java");
		String name = snippet.publicClassName();
		ClassLoader loader = SnippetCompiler.compile(folder.resolve("snippet"),
				Map.of(name, snippet.asCompilationUnit(), "ReadmeClientApplication", """
						@org.springframework.boot.SpringBootConfiguration   // no component scan: the default package
						@org.springframework.boot.autoconfigure.EnableAutoConfiguration
						@org.springframework.context.annotation.Import(%s.class)
						public class ReadmeClientApplication {
						}
						""".formatted(name)));
		try (ConfigurableApplicationContext sampleServer = startServer(folder);
				ConfigurableApplicationContext application = new SpringApplicationBuilder(
						loader.loadClass("ReadmeClientApplication"))
					.resourceLoader(new DefaultResourceLoader(loader))
					.web(WebApplicationType.NONE)
					.run("--spring.config.location=file:" + client, "--etcd.endpoints=" + etcd.endpoints(),
							"--" + SERVER_PORT + "=0")) {
			assertThat(route(application, loader.loadClass(name), "from the README")).isEqualTo("hello from the README");
		}
	}

	/** The sample server with the line's server snippet, once it is registered in etcd. */
	private static ConfigurableApplicationContext startServer(Path folder) throws Exception {
		Path server = readme.write(LINE + "-server", folder.resolve("server.yml"));
		ConfigurableApplicationContext context = new SpringApplicationBuilder(SampleServerApplication.class).run(
				"--spring.config.location=file:" + server, "--etcd.endpoints=" + etcd.endpoints(),
				"--etcd.registry.address=127.0.0.1", "--" + SERVER_PORT + "=0", "--" + SERVER_ADDRESS + "=127.0.0.1",
				"--etcd.registry.drain-delay=0s");
		context.getBean(ServerRegistry.class).register().get(10, TimeUnit.SECONDS);
		return context;
	}

	/** Calls Route with what the snippet gives: the caller bean on Boot 3.5, the stub bean on 4.1. */
	private static String route(ConfigurableApplicationContext application, Class<?> snippet, String data)
			throws Exception {
		if (BOOT4) {
			SimpleGrpc.SimpleBlockingStub stub = application.getBean(SimpleGrpc.SimpleBlockingStub.class);
			return stub.route(SimpleRequest.newBuilder().setData(data).build()).getValue();
		}
		Object caller = application.getBean(snippet);
		return (String) snippet.getMethod("route", String.class).invoke(caller, data);
	}

}
