package io.github.etcdgrpclb.spring.config;

import static io.github.etcdgrpclb.etcd.EtcdBytes.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;
import static org.assertj.core.api.Assertions.assertThatException;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.etcd.jetcd.options.DeleteOption;
import io.github.etcdgrpclb.spring.actuate.EtcdHealthProbe;
import io.github.etcdgrpclb.spring.actuate.GrpclbEndpoint;
import io.github.etcdgrpclb.support.RawEtcd;
import io.github.etcdgrpclb.test.EtcdExtension;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.actuate.env.EnvironmentEndpoint;
import org.springframework.cloud.context.environment.EnvironmentChangeEvent;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.ConfigurableEnvironment;

/**
 * {@code spring.config.import=etcd:} in whole applications against a real etcd: the folders and their
 * precedence, then live changes reaching the Environment, the beans and the listeners.
 */
@ExtendWith(OutputCaptureExtension.class)
class EtcdConfigDataIntegrationTests {

	private static final Duration CHANGE_TIMEOUT = Duration.ofSeconds(5);

	@RegisterExtension
	static final EtcdExtension etcd = EtcdExtension.single();

	@RegisterExtension
	static final RawEtcd raw = RawEtcd.of(etcd);

	private final List<ConfigurableApplicationContext> apps = new ArrayList<>();

	@AfterEach
	void close() {
		this.apps.forEach(ConfigurableApplicationContext::close);
		raw.client().getKVClient().delete(bytes("/config/"), DeleteOption.builder().isPrefix(true).build()).join();
	}

	@Test
	void importShouldLayerTheSharedTheApplicationAndTheProfileFoldersLikeSpringCloudConsul() {
		raw.put("/config/application/p.a", "shared");
		raw.put("/config/application/p.b", "shared");
		raw.put("/config/application,prod/p.b", "shared-prod");
		raw.put("/config/application,prod/p.c", "shared-prod");
		raw.put("/config/orders/p.c", "orders");
		raw.put("/config/orders/p.d", "orders");
		raw.put("/config/orders,prod/p.d", "orders-prod");
		raw.put("/config/orders-more/p.e", "another application");
		raw.put("/config/orders/application.yml", "p:\n  e: document\n  f: document\n");
		raw.put("/config/orders/p/f", "key");
		ConfigurableEnvironment environment = start("--spring.config.import=etcd:", "--spring.profiles.active=prod",
				"--p.g=command-line")
			.getEnvironment();
		assertThat(environment.getProperty("p.a")).isEqualTo("shared");
		assertThat(environment.getProperty("p.b")).isEqualTo("shared-prod");
		assertThat(environment.getProperty("p.c")).as("the application's plain folder wins over shared profiles")
			.isEqualTo("orders");
		assertThat(environment.getProperty("p.d")).isEqualTo("orders-prod");
		assertThat(environment.getProperty("p.e")).as("a document key, and no prefix collision").isEqualTo("document");
		assertThat(environment.getProperty("p.f")).as("a key-per-property wins over a document").isEqualTo("key");
		assertThat(environment.getProperty("p.g")).isEqualTo("command-line");
		assertThat(environment.getProperty("order.greeting")).as("local values stay where etcd has none")
			.isEqualTo("local");
		EtcdConfigPropertySource orders = (EtcdConfigPropertySource) environment.getPropertySources()
			.get("etcd:/config/orders/");
		assertThat(orders.getOrigin("p.f")).hasToString("etcd key /config/orders/p/f");
	}

	@Test
	void etcdValueShouldWinOverTheLocalOneAndTheRootShouldBeChangeable() {
		raw.put("/apps/cfg/orders/order.greeting", "from etcd");
		raw.put("/config/orders/order.greeting", "from the default root");
		ConfigurableApplicationContext app = start("--spring.config.import=etcd:/apps/cfg/");
		assertThat(app.getBean(ConfigApplication.OrderProperties.class).getGreeting()).isEqualTo("from etcd");
		raw.delete("/apps/cfg/orders/order.greeting");
	}

	@Test
	void changeShouldReachTheEnvironmentTheBoundBeanInPlaceAndTheListenersWithoutItsValueInTheLog(
			CapturedOutput output) {
		raw.put("/config/orders/order.max-items", "20");
		ConfigurableApplicationContext app = start("--spring.config.import=etcd:");
		ConfigApplication.OrderProperties order = app.getBean(ConfigApplication.OrderProperties.class);
		assertThat(order.getMaxItems()).isEqualTo(20);
		long put = System.nanoTime();
		raw.put("/config/orders/order.max-items", "50");
		await().atMost(CHANGE_TIMEOUT).pollInterval(Duration.ofMillis(1)).until(() -> order.getMaxItems() == 50);
		long rebindMillis = (System.nanoTime() - put) / 1_000_000;
		System.out.println("put to rebind: " + rebindMillis + " ms");
		assertThat(app.getEnvironment().getProperty("order.max-items")).isEqualTo("50");
		List<EtcdConfigChangedEvent> events = app.getBean(ConfigApplication.ChangeRecorder.class).events;
		await().atMost(CHANGE_TIMEOUT).until(() -> !events.isEmpty());
		assertThat(events.get(0).getFolder()).isEqualTo("/config/orders/");
		assertThat(events.get(0).getChangedProperties()).containsExactly("order.max-items");
		assertThat(events.get(0).getRejectedBeans()).isEmpty();
		assertThat(output).contains("Configuration /config/orders/ changed in etcd").contains(": order.max-items")
			.doesNotContain("order.max-items=50");
		assertThat(app.getBean(MeterRegistry.class).get("grpclb.config.changes").tag("result", "applied")
			.functionCounter().count()).isEqualTo(1);
	}

	@Test
	void deletedKeyShouldFallBackToTheLocalValue() {
		raw.put("/config/orders/order.greeting", "from etcd");
		ConfigurableApplicationContext app = start("--spring.config.import=etcd:");
		ConfigApplication.OrderProperties order = app.getBean(ConfigApplication.OrderProperties.class);
		assertThat(order.getGreeting()).isEqualTo("from etcd");
		raw.delete("/config/orders/order.greeting");
		await().atMost(CHANGE_TIMEOUT).until(() -> "local".equals(order.getGreeting()));
		raw.put("/config/application/order.greeting", "shared");
		await().atMost(CHANGE_TIMEOUT).until(() -> "shared".equals(order.getGreeting()));
	}

	@Test
	void refreshScopeBeanShouldBeCreatedAgainFromTheChangedEnvironment() {
		ConfigurableApplicationContext app = start("--spring.config.import=etcd:");
		ConfigApplication.Greeting greeting = app.getBean(ConfigApplication.Greeting.class);
		assertThat(greeting.getText()).isEqualTo("local");
		raw.put("/config/orders/order.greeting", "refreshed");
		await().atMost(CHANGE_TIMEOUT).until(() -> "refreshed".equals(greeting.getText()));
	}

	/** Spring Cloud's listeners follow etcd too: its LoggingRebinder applies a log level put in etcd. */
	@Test
	void springCloudShouldBeToldOfEachChangeAndApplyLogLevelsFromEtcd() {
		ConfigurableApplicationContext app = start("--spring.config.import=etcd:");
		Logger logger = LoggerFactory.getLogger("com.example.orders.pricing");
		assertThat(logger.isDebugEnabled()).isFalse();
		raw.put("/config/orders/logging.level.com.example.orders.pricing", "DEBUG");
		await().atMost(CHANGE_TIMEOUT).until(logger::isDebugEnabled);
		List<EnvironmentChangeEvent> changes = app.getBean(ConfigApplication.ChangeRecorder.class).environmentChanges;
		assertThat(changes).singleElement()
			.satisfies((event) -> assertThat(event.getKeys()).containsExactly("logging.level.com.example.orders.pricing"));
	}

	@Test
	void changeThatDoesNotValidateOrConvertShouldKeepTheOldValuesAndBeCounted(CapturedOutput output) {
		raw.put("/config/orders/order.max-items", "20");
		ConfigurableApplicationContext app = start("--spring.config.import=etcd:");
		ConfigApplication.OrderProperties order = app.getBean(ConfigApplication.OrderProperties.class);
		EtcdConfigRefresher refresher = app.getBean(EtcdConfigRefresher.class);
		raw.put("/config/orders/order.max-items", "0");
		await().atMost(CHANGE_TIMEOUT).until(() -> refresher.rejectedChanges() == 1);
		raw.put("/config/orders/order.max-items", "many");
		await().atMost(CHANGE_TIMEOUT).until(() -> refresher.rejectedChanges() == 2);
		assertThat(order.getMaxItems()).isEqualTo(20);
		List<EtcdConfigChangedEvent> events = app.getBean(ConfigApplication.ChangeRecorder.class).events;
		await().atMost(CHANGE_TIMEOUT).until(() -> events.size() == 2);
		assertThat(events).allSatisfy((event) -> assertThat(event.getRejectedBeans()).containsExactly(
				"order-" + ConfigApplication.OrderProperties.class.getName()));
		assertThat(output).contains("keeps its old values").contains("order.max-items must be at least 1");
		raw.put("/config/orders/order.max-items", "7");
		await().atMost(CHANGE_TIMEOUT).until(() -> order.getMaxItems() == 7);
		assertThat(refresher.appliedChanges()).isEqualTo(1);
	}

	/**
	 * A value the running instances refuse is one an instance started now fails on: the refusal must be
	 * seen where operators look (the endpoint, the health details, a meter) before a restart.
	 */
	@Test
	void refusedValueShouldBeVisibleOnTheRunningInstanceUntilAGoodValueBinds() throws Exception {
		raw.put("/config/orders/order.max-items", "20");
		ConfigurableApplicationContext app = start("--spring.config.import=etcd:",
				"--management.endpoints.web.exposure.include=grpclb");
		EtcdConfigRefresher refresher = app.getBean(EtcdConfigRefresher.class);
		GrpclbEndpoint endpoint = app.getBean(GrpclbEndpoint.class);
		MeterRegistry meters = app.getBean(MeterRegistry.class);
		raw.put("/config/orders/order.max-items", "abc");
		await().atMost(CHANGE_TIMEOUT).until(() -> refresher.rejectedChanges() == 1);

		String bean = "order-" + ConfigApplication.OrderProperties.class.getName();
		RejectedValues rejected = ordersFolder(endpoint).rejected().get(0);
		assertThat(rejected.folder()).isEqualTo("/config/orders/");
		assertThat(rejected.bean()).isEqualTo(bean);
		assertThat(rejected.properties()).containsExactly(entry("order.max-items", "/config/orders/order.max-items"));
		assertThat(rejected.reason()).contains("abc");
		assertThat(meters.get("grpclb.config.rejected").gauge().value()).isEqualTo(1.0);
		assertThat(app.getBean(EtcdHealthProbe.class).check().details()).containsKey("configurationRejected");
		// What a restart with this value would do:
		assertThatThrownBy(() -> start("--spring.config.import=etcd:")).hasStackTraceContaining("order.max-items");

		raw.put("/config/orders/order.max-items", "30");
		await().atMost(CHANGE_TIMEOUT)
			.until(() -> app.getBean(ConfigApplication.OrderProperties.class).getMaxItems() == 30);
		assertThat(ordersFolder(endpoint).rejected()).isEmpty();
		assertThat(meters.get("grpclb.config.rejected").gauge().value()).isZero();
		assertThat(app.getBean(EtcdHealthProbe.class).check().details()).doesNotContainKey("configurationRejected");
	}

	@Test
	void malformedDocumentShouldBeSkippedKeepingItsLastGoodVersion(CapturedOutput output) {
		raw.put("/config/orders/application.properties", "order.greeting=document\n");
		ConfigurableApplicationContext app = start("--spring.config.import=etcd:");
		ConfigApplication.OrderProperties order = app.getBean(ConfigApplication.OrderProperties.class);
		assertThat(order.getGreeting()).isEqualTo("document");
		raw.put("/config/orders/application.yml", "order: [unclosed\n  greeting: : :");
		EtcdConfigRefresher refresher = app.getBean(EtcdConfigRefresher.class);
		await().atMost(CHANGE_TIMEOUT).until(() -> refresher.malformedKeys() == 1);
		assertThat(output).contains("Skipping etcd key /config/orders/application.yml: not a valid yml document");
		raw.put("/config/orders/application.properties", "order.greeting=fixed\n");
		await().atMost(CHANGE_TIMEOUT).until(() -> "fixed".equals(order.getGreeting()));
		assertThat(app.getBean(MeterRegistry.class).get("grpclb.config.malformed").functionCounter().count())
			.isEqualTo(1);
	}

	@Test
	void endpointShouldShowEachImportedFolderWithItsRevision() {
		raw.put("/config/orders/order.greeting", "from etcd");
		ConfigurableApplicationContext app = start("--spring.config.import=etcd:",
				"--management.endpoints.web.exposure.include=grpclb");
		long revision = raw.get("/config/orders/order.greeting").getModRevision();
		List<GrpclbEndpoint.ConfigFolder> folders = app.getBean(GrpclbEndpoint.class).grpclb().configuration();
		assertThat(folders).extracting(GrpclbEndpoint.ConfigFolder::folder)
			.containsExactlyInAnyOrder("/config/application/", "/config/application,default/", "/config/orders/",
					"/config/orders,default/");
		assertThat(folders).allSatisfy((folder) -> {
			assertThat(folder.revision()).isGreaterThanOrEqualTo(revision);
			assertThat(folder.connected()).isTrue();
			assertThat(folder.rejected()).isEmpty();
		});
	}

	@Test
	void envEndpointShouldListTheEtcdFoldersWithEachPropertysKey() {
		raw.put("/config/orders/order.greeting", "from etcd");
		ConfigurableApplicationContext app = start("--spring.config.import=etcd:",
				"--management.endpoints.web.exposure.include=env");
		EnvironmentEndpoint.PropertySourceDescriptor orders = app.getBean(EnvironmentEndpoint.class)
			.environment(null)
			.getPropertySources()
			.stream()
			.filter((source) -> source.getName().equals("etcd:/config/orders/"))
			.findFirst()
			.orElseThrow();
		assertThat(orders.getProperties().get("order.greeting").getOrigin())
			.isEqualTo("etcd key /config/orders/order.greeting");
	}

	@Test
	void namespaceShouldApplyToTheImportAndTheWatch() {
		raw.put("/tenant-a/config/orders/order.greeting", "tenant a");
		raw.put("/config/orders/order.greeting", "no namespace");
		ConfigurableApplicationContext app = start("--spring.config.import=etcd:", "--etcd.namespace=/tenant-a");
		ConfigApplication.OrderProperties order = app.getBean(ConfigApplication.OrderProperties.class);
		assertThat(order.getGreeting()).isEqualTo("tenant a");
		raw.put("/tenant-a/config/orders/order.greeting", "tenant a, changed");
		await().atMost(CHANGE_TIMEOUT).until(() -> "tenant a, changed".equals(order.getGreeting()));
		raw.delete("/tenant-a/config/orders/order.greeting");
	}

	@Test
	void contextStoppedAndStartedShouldWatchAgainFromWhereItWas() {
		raw.put("/config/orders/order.greeting", "before stop");
		ConfigurableApplicationContext app = start("--spring.config.import=etcd:");
		ConfigApplication.OrderProperties order = app.getBean(ConfigApplication.OrderProperties.class);
		app.stop();
		raw.put("/config/orders/order.greeting", "while stopped");
		app.start();
		await().atMost(CHANGE_TIMEOUT).until(() -> "while stopped".equals(order.getGreeting()));
	}

	@Test
	void profilesFromEtcdShouldBeRefusedAtStartupNamingTheProperty() {
		raw.put("/config/orders/spring.profiles.active", "prod");
		assertThatException().isThrownBy(() -> start("--spring.config.import=etcd:"))
			.withMessageContaining("spring.profiles.active")
			.withMessageContaining("etcd");
	}

	@Test
	void watchDisabledShouldReadEtcdOnceAtStartup() {
		raw.put("/config/orders/order.greeting", "startup");
		ConfigurableApplicationContext app = start("--spring.config.import=etcd:", "--etcd.config.watch.enabled=false");
		assertThat(app.getBeansOfType(EtcdConfigRefresher.class)).isEmpty();
		assertThat(app.getBean(ConfigApplication.OrderProperties.class).getGreeting()).isEqualTo("startup");
	}

	@Test
	void thousandKeysShouldAllBeImported() {
		for (int i = 0; i < 1000; i++) {
			raw.put("/config/orders/bulk.key-" + i, "value-" + i);
		}
		long start = System.nanoTime();
		ConfigurableEnvironment environment = start("--spring.config.import=etcd:").getEnvironment();
		System.out.println("startup with 1000 keys imported: " + (System.nanoTime() - start) / 1_000_000 + " ms");
		assertThat(environment.getProperty("bulk.key-0")).isEqualTo("value-0");
		assertThat(environment.getProperty("bulk.key-999")).isEqualTo("value-999");
		assertThat(((EtcdConfigPropertySource) environment.getPropertySources().get("etcd:/config/orders/"))
			.getPropertyNames()).hasSize(1000);
	}

	private static GrpclbEndpoint.ConfigFolder ordersFolder(GrpclbEndpoint endpoint) {
		return endpoint.grpclb()
			.configuration()
			.stream()
			.filter((folder) -> folder.folder().equals("/config/orders/"))
			.findFirst()
			.orElseThrow();
	}

	private ConfigurableApplicationContext start(String... arguments) {
		ConfigurableApplicationContext app = ConfigApplication.start(etcd.endpoints(), arguments);
		this.apps.add(app);
		return app;
	}

}
