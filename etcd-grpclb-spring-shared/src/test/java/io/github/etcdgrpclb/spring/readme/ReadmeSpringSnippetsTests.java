package io.github.etcdgrpclb.spring.readme;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.lang.reflect.InvocationTargetException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import io.github.etcdgrpclb.discovery.EtcdNameResolverProvider;
import io.github.etcdgrpclb.spring.cloud.NameWebApplication;
import io.github.etcdgrpclb.spring.discovery.EtcdDiscoveryAutoConfiguration;
import io.github.etcdgrpclb.spring.etcd.EtcdAutoConfiguration;
import io.github.etcdgrpclb.spring.etcd.NoEtcd;
import io.github.etcdgrpclb.spring.registry.EtcdRegistryProperties;
import io.github.etcdgrpclb.support.EchoCalls;
import io.github.etcdgrpclb.support.RawEtcd;
import io.github.etcdgrpclb.test.EtcdExtension;
import io.github.etcdgrpclb.test.JavaSnippet;
import io.github.etcdgrpclb.test.ReadmeSnippets;
import io.github.etcdgrpclb.test.SnippetCompiler;
import io.github.etcdgrpclb.test.SnippetProbe;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.PropertySource;
import org.springframework.core.io.DefaultResourceLoader;
import org.springframework.core.io.FileSystemResource;
import org.springframework.web.client.RestClient;

/**
 * The README's lock, leader election and configuration snippets, compiled as a new user pastes them
 * into an application of the Spring line this test is compiled into (both lines run it), and run
 * against a real etcd. Where a snippet says {@code ...}, a {@link SnippetProbe} records that the
 * reader's code ran.
 */
@ExtendWith(OutputCaptureExtension.class)
class ReadmeSpringSnippetsTests {

	private static final Pattern COMPONENT = Pattern
		.compile("@(?:Component|Service|Configuration)\\s+(?://[^\\n]*\\n\\s*)?(?:public\\s+)?class\\s+(\\w+)");

	@RegisterExtension
	static final EtcdExtension etcd = EtcdExtension.single();

	static final ReadmeSnippets readme = ReadmeSnippets.of(Path.of("../README.md"));

	@TempDir
	Path folder;

	@AfterEach
	void forgetProbes() {
		SnippetProbe.reset();
	}

	@Test
	void routingSnippetShouldGiveTheServerItsMetadataAndItsClientsItsZone() throws Exception {
		Path yml = readme.write("routing-server", this.folder.resolve("application.yml"));
		List<PropertySource<?>> loaded = new YamlPropertySourceLoader().load("routing-server", new FileSystemResource(yml));
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(EtcdAutoConfiguration.class, EtcdDiscoveryAutoConfiguration.class))
			.withPropertyValues(NoEtcd.PROPERTIES)
			.withInitializer((context) -> loaded.forEach(context.getEnvironment().getPropertySources()::addFirst))
			.run((context) -> {
				assertThat(context.getBean(EtcdRegistryProperties.class).getMetadata())
					.containsExactly(Map.entry("zone", "eu-1a"), Map.entry("version", "v2"), Map.entry("tags", "canary"));
				assertThat(context.getBean("etcdNameResolverProvider", EtcdNameResolverProvider.class).settings()
					.routing().zone()).as("its clients call from the zone it registers in").isEqualTo("eu-1a");
			});
	}

	@Test
	void lockSnippetShouldRunTheMethodWhileItsEtcdLockIsHeld() throws Exception {
		JavaSnippet lock = readme.java("lock");
		try (RawEtcd raw = new RawEtcd(etcd.endpoints());
				ConfigurableApplicationContext context = start(lock, "")) {
			SnippetProbe.whenReached("Settlements.settle",
					() -> assertThat(raw.list("/locks/order:42/")).singleElement()
						.satisfies((kv) -> assertThat(kv.getKey().toString(StandardCharsets.UTF_8))
							.matches("/locks/order:42/[0-9a-f]+")));
			Object settlements = context.getBean(context.getClassLoader().loadClass("Settlements"));
			invoke(settlements, "settle", "42");
			assertThat(SnippetProbe.count("Settlements.settle")).isEqualTo(1);
			assertThat(raw.list("/locks/order:42/")).isEmpty();
		}
	}

	@Test
	void lockedEtcdWriteSnippetShouldWriteUnderTheLocksOwnership() throws Exception {
		JavaSnippet write = readme.java("lock-etcd-write");
		try (RawEtcd raw = new RawEtcd(etcd.endpoints());
				ConfigurableApplicationContext context = start(write, "")) {
			Object orderStates = context.getBean(context.getClassLoader().loadClass("OrderStates"));
			assertThat(invoke(orderStates, "markSettled", "42")).isEqualTo(true);
			assertThat(raw.get("/orders/42/state").getValue().toString(StandardCharsets.UTF_8)).isEqualTo("settled");
			assertThat(raw.list("/locks/order:42/")).as("released after the write").isEmpty();
		}
	}

	@Test
	void leaderSnippetsShouldRunTheLeaderOnlyJobAndHearOfItsLeadership() {
		// the reader's interval: the first run comes before the election (it starts once the application is ready)
		JavaSnippet leader = readme.java("leader").replace("fixedDelay = 10_000", "fixedDelay = 100");
		Path yml = readme.write("leader-yml", this.folder.resolve("application.yml"));
		try (RawEtcd raw = new RawEtcd(etcd.endpoints());
				ConfigurableApplicationContext context = start(leader, "@EnableScheduling",
						"--spring.config.location=file:" + yml)) {
			await().atMost(Duration.ofSeconds(10))
				.untilAsserted(() -> assertThat(SnippetProbe.count("ReportWriter.writeReport")).isPositive());
			assertThat(SnippetProbe.count("ReportWriter.on")).isEqualTo(1);
			assertThat(raw.list("/election/report-writer/")).hasSize(1);
		}
	}

	@Test
	void configurationSnippetsShouldRebindThePropertiesAndTellTheListener(CapturedOutput output) throws Exception {
		JavaSnippet config = readme.java("config");
		Path yml = readme.write("config-yml", this.folder.resolve("application.yml"));
		try (RawEtcd raw = new RawEtcd(etcd.endpoints());
				ConfigurableApplicationContext context = start(config,
						"@EnableConfigurationProperties(OrderProperties.class)",
						"--spring.config.location=file:" + yml)) {
			Object properties = context.getBean(context.getClassLoader().loadClass("OrderProperties"));
			assertThat(invoke(properties, "getMaxItems")).isEqualTo(10);
			raw.put("/config/orders/order.max-items", "50");
			await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(invoke(properties, "getMaxItems")).isEqualTo(50));
			await().atMost(Duration.ofSeconds(5))
				.untilAsserted(() -> assertThat(output.getOut()).contains("changed in etcd /config/orders/: [order.max-items]"));
		}
	}

	@Test
	void integrationLockSnippetShouldIssueUnderTheEtcdLockWithItsToken() throws Exception {
		JavaSnippet invoices = readme.java("integration-lock");
		try (RawEtcd raw = new RawEtcd(etcd.endpoints());
				ConfigurableApplicationContext context = start(invoices, "")) {
			SnippetProbe.whenReached("Invoices.issue",
					() -> assertThat(raw.list("/locks/invoice:7/")).as("held while it issues").hasSize(1));
			Object bean = context.getBean(context.getClassLoader().loadClass("Invoices"));
			long first = (Long) invoke(bean, "issue", "7");
			long second = (Long) invoke(bean, "issue", "7");
			assertThat(SnippetProbe.count("Invoices.issue")).isEqualTo(2);
			assertThat(second).as("each holder's token is higher").isGreaterThan(first);
			assertThat(raw.list("/locks/invoice:7/")).isEmpty();
		}
	}

	@Test
	void integrationCandidateSnippetShouldLeadTheEtcdElectionOfItsRole() throws Exception {
		JavaSnippet leadership = readme.java("integration-candidate");
		try (RawEtcd raw = new RawEtcd(etcd.endpoints());
				ConfigurableApplicationContext context = start(leadership, "")) {
			await().atMost(Duration.ofSeconds(10))
				.untilAsserted(() -> assertThat(SnippetProbe.count("ReportsLeadership.granted")).isEqualTo(1));
			assertThat(raw.list("/election/report-writer/")).singleElement()
				.satisfies((kv) -> assertThat(kv.getValue().toString(StandardCharsets.UTF_8)).isEqualTo("reports-1"));
		}
	}

	@Test
	void loadBalancedHttpSnippetsShouldSpreadCallsByEtcdWeight() throws Exception {
		Path serverYml = readme.write("http-server-yml", this.folder.resolve("server.yml"));
		Path clientYml = readme.write("lb-client-yml", this.folder.resolve("application.yml"));
		String[] server = { "--spring.config.location=file:" + serverYml, "--etcd.endpoints=" + etcd.endpoints() };
		try (RawEtcd raw = new RawEtcd(etcd.endpoints());
				ConfigurableApplicationContext one = NameWebApplication.start("one",
						Stream.concat(Stream.of(server), Stream.of("--grpc.weight=1")).toArray(String[]::new));
				ConfigurableApplicationContext three = NameWebApplication.start("three", server);
				ConfigurableApplicationContext client = start(readme.java("lb-client"), "",
						"--spring.config.location=file:" + clientYml)) {
			await().atMost(Duration.ofSeconds(5)).until(() -> raw.list("/http/invoices/").size() == 2);
			RestClient rest = client.getBean(RestClient.Builder.class).build();
			Map<String, Long> counts = new TreeMap<>();
			for (int i = 0; i < 400; i++) {
				counts.merge(rest.get().uri("http://invoices/name").retrieve().body(String.class), 1L, Long::sum);
			}
			EchoCalls.assertFits(counts, Map.of("one", 1, "three", 3));
		}
	}

	/**
	 * Compiles the snippet beside an application class that imports its classes (plus what the
	 * README says to add), and runs the application with the test etcd.
	 */
	private ConfigurableApplicationContext start(JavaSnippet snippet, String annotations, String... arguments) {
		String name = snippet.publicClassName();
		String source = snippet.asCompilationUnit();
		String application = """
				import org.springframework.boot.SpringBootConfiguration;
				import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
				import org.springframework.boot.context.properties.EnableConfigurationProperties;
				import org.springframework.context.annotation.Import;
				import org.springframework.scheduling.annotation.EnableScheduling;

				@SpringBootConfiguration
				@EnableAutoConfiguration
				@Import({ %s })
				%s
				public class ReadmeApplication {
				}
				""".formatted(importedClasses(source), annotations);
		ClassLoader loader = SnippetCompiler.compile(this.folder,
				Map.of(name, source, "ReadmeApplication", application));
		String[] withEtcd = Stream
			.concat(Stream.of("--etcd.endpoints=" + etcd.endpoints()), Stream.of(arguments))
			.toArray(String[]::new);
		try {
			return new SpringApplicationBuilder(loader.loadClass("ReadmeApplication"))
				.resourceLoader(new DefaultResourceLoader(loader))
				.web(WebApplicationType.NONE)
				.properties("etcd.registry.enabled=false",
						// no gRPC server on either line
						"grpc.server.port=-1", "spring.grpc.server.enabled=false", "spring.main.banner-mode=off")
				.run(withEtcd);
		}
		catch (ClassNotFoundException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** The snippet's classes annotated as components, for the application's {@code @Import}. */
	private static String importedClasses(String source) {
		return COMPONENT.matcher(source)
			.results()
			.map((match) -> match.group(1) + ".class")
			.collect(Collectors.joining(", "));
	}

	private static Object invoke(Object bean, String method, Object... arguments) throws Exception {
		Class<?>[] types = new Class<?>[arguments.length];
		Arrays.fill(types, String.class);
		try {
			return bean.getClass().getMethod(method, types).invoke(bean, arguments);
		}
		catch (InvocationTargetException ex) {
			throw new AssertionError("The README's snippet failed in " + method, ex.getCause());
		}
	}

}
