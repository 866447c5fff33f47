package io.github.etcdgrpclb.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.lang.reflect.InvocationTargetException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import io.github.etcdgrpclb.balancer.HealthPolicy;
import io.github.etcdgrpclb.balancer.WeightLoadBalancerConfig;
import io.github.etcdgrpclb.balancer.WeightLoadBalancerProvider;
import io.github.etcdgrpclb.support.RawEtcd;
import io.github.etcdgrpclb.test.EtcdExtension;
import io.github.etcdgrpclb.test.ReadmeSnippets;
import io.github.etcdgrpclb.test.SnippetCompiler;
import io.github.etcdgrpclb.test.SnippetProbe;
import io.grpc.NameResolver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's plain grpc-java server and client, compiled as a new user pastes them and run: the
 * server registers itself, the client calls it through etcd, and shutting down deregisters before
 * the server stops. Only what the snippets leave to the reader changes: the etcd endpoint, the
 * advertised host, the port (0) and the reader's service.
 */
public class PlainGrpcJavaReadmeTests {

	private static final String SIMPLE_SERVICE = """
			import io.github.etcdgrpclb.sample.api.SimpleGrpc;
			import io.github.etcdgrpclb.sample.api.SimpleRequest;
			import io.github.etcdgrpclb.sample.api.SimpleResponse;
			import io.grpc.stub.StreamObserver;

			public class SimpleService extends SimpleGrpc.SimpleImplBase {
				@Override
				public void route(SimpleRequest request, StreamObserver<SimpleResponse> responses) {
					io.github.etcdgrpclb.test.SnippetProbe.reached();
					responses.onNext(SimpleResponse.newBuilder().setValue("served " + request.getData()).build());
					responses.onCompleted();
				}
			}
			""";

	@RegisterExtension
	static final EtcdExtension etcd = EtcdExtension.single();

	static final ReadmeSnippets readme = ReadmeSnippets.of(Path.of("../README.md"));

	@AfterEach
	void forgetProbes() {
		SnippetProbe.reset();
	}

	@Test
	void readmeServerShouldBeCalledByTheReadmeClientThroughEtcdAndDeregisterBeforeItStops(@TempDir Path folder)
			throws Exception {
		String endpoint = etcd.endpoints();
		String server = readme.java("plain-server")
			.replace("\"http://10.0.0.1:2379\"", "\"" + endpoint + "\"")
			.replace("\"10.0.0.12\"", "\"127.0.0.1\"")
			.replace("ServerBuilder.forPort(9001)", "ServerBuilder.forPort(0)")
			.replace("// serving until shutdown; then: deregister, wait the drain delay, stop serving", "whileServing.run();")
			.asStatements("ReadmeServer", "Runnable whileServing");
		String client = readme.java("plain-client")
			.replace("etcd://10.0.0.1:2379/", "etcd://" + endpoint.replaceFirst("^https?://", "") + "/")
			.asStatements("ReadmeClient", "");
		ClassLoader snippets = SnippetCompiler.compile(folder,
				Map.of("ReadmeServer", server, "ReadmeClient", client, "SimpleService", SIMPLE_SERVICE));

		try (RawEtcd raw = new RawEtcd(endpoint)) {
			Runnable whileServing = () -> {
				await().atMost(Duration.ofSeconds(10))
					.untilAsserted(() -> assertThat(raw.list("/grpclb/simple_grpc/")).singleElement().satisfies((kv) -> {
						assertThat(kv.getKey().toString(StandardCharsets.UTF_8)).startsWith("/grpclb/simple_grpc/127.0.0.1:");
						assertThat(kv.getValue().toString(StandardCharsets.UTF_8)).isEqualTo("4");
					}));
				run(snippets, "ReadmeClient");
				assertThat(SnippetProbe.count("SimpleService.route")).isEqualTo(1);
			};
			run(snippets, "ReadmeServer", whileServing);
			assertThat(raw.list("/grpclb/simple_grpc/")).isEmpty();
		}
	}

	@Test
	void readmeClientWithHealthRulesShouldCallThroughEtcdWithThePolicyItNames(@TempDir Path folder) throws Exception {
		String endpoint = etcd.endpoints();
		String server = readme.java("plain-server")
			.replace("\"http://10.0.0.1:2379\"", "\"" + endpoint + "\"")
			.replace("\"10.0.0.12\"", "\"127.0.0.1\"")
			.replace("ServerBuilder.forPort(9001)", "ServerBuilder.forPort(0)")
			.replace("// serving until shutdown; then: deregister, wait the drain delay, stop serving", "whileServing.run();")
			.asStatements("ReadmeServer", "Runnable whileServing");
		String client = readme.java("plain-client-health")
			.replace("etcd://10.0.0.1:2379/", "etcd://" + endpoint.replaceFirst("^https?://", "") + "/")
			.replace("channel.shutdown();", "io.github.etcdgrpclb.registry.PlainGrpcJavaReadmeTests.policySeen(weight);\nchannel.shutdown();")
			.asStatements("ReadmeHealthClient", "");
		ClassLoader snippets = SnippetCompiler.compile(folder,
				Map.of("ReadmeServer", server, "ReadmeHealthClient", client, "SimpleService", SIMPLE_SERVICE));

		try (RawEtcd raw = new RawEtcd(endpoint)) {
			run(snippets, "ReadmeServer", (Runnable) () -> {
				await().atMost(Duration.ofSeconds(10)).until(() -> raw.list("/grpclb/simple_grpc/").size() == 1);
				run(snippets, "ReadmeHealthClient");
			});
		}

		assertThat(SnippetProbe.count("SimpleService.route")).isEqualTo(1);
		NameResolver.ConfigOrError parsed = new WeightLoadBalancerProvider().parseLoadBalancingPolicyConfig(policy);
		assertThat(parsed.getError()).isNull();
		HealthPolicy health = ((WeightLoadBalancerConfig) parsed.getConfig()).health();
		assertThat(health.ejection().baseTime()).isEqualTo(Duration.ofSeconds(10));
		assertThat(health.ejection().maxTime()).isEqualTo(Duration.ofSeconds(60));
		assertThat(health.slowStart().window()).isEqualTo(Duration.ofSeconds(30));
	}

	private static volatile Map<String, ?> policy;

	/** Called by the compiled snippet with the {@code weight} config it gave its channel. */
	public static void policySeen(Map<String, ?> weight) {
		policy = weight;
	}

	private static void run(ClassLoader loader, String className, Object... arguments) {
		try {
			Class<?> snippet = loader.loadClass(className);
			Class<?>[] types = (arguments.length == 0) ? new Class<?>[0] : new Class<?>[] { Runnable.class };
			snippet.getMethod("run", types).invoke(null, arguments);
		}
		catch (InvocationTargetException ex) {
			throw new AssertionError("The README's snippet " + className + " failed", ex.getCause());
		}
		catch (ReflectiveOperationException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
