package io.github.etcdgrpclb.spring.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import io.etcd.jetcd.Client;
import io.github.etcdgrpclb.config.ConfigFolderSnapshot;
import io.github.etcdgrpclb.config.ConfigFolderStatus;
import io.github.etcdgrpclb.config.ConfigWatchSettings;
import io.github.etcdgrpclb.spring.etcd.EtcdAutoConfiguration;
import io.github.etcdgrpclb.test.EtcdExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ConfigurableApplicationContext;

/** When {@link EtcdConfigAutoConfiguration} watches the imported folders, and when it stays away. */
class EtcdConfigAutoConfigurationTests {

	@RegisterExtension
	static final EtcdExtension etcd = EtcdExtension.single();

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(EtcdAutoConfiguration.class, EtcdConfigAutoConfiguration.class))
		.withPropertyValues("etcd.endpoints=" + etcd.endpoints());

	@Test
	void runWithoutAnEtcdImportShouldNotCreateTheRefresher() {
		this.contextRunner.run((context) -> assertThat(context).hasSingleBean(Client.class)
			.doesNotHaveBean(EtcdConfigRefresher.class));
	}

	@Test
	void runWithAnEtcdImportShouldWatchEachImportedFolder() {
		this.contextRunner.withInitializer(EtcdConfigAutoConfigurationTests::importFolders)
			.run((context) -> assertThat(context.getBean(EtcdConfigRefresher.class).folders())
				.extracting(ConfigFolderStatus::folder)
				.containsExactlyInAnyOrder("/config/application/", "/config/orders/"));
	}

	@Test
	void runWithWatchDisabledShouldNotCreateTheRefresher() {
		this.contextRunner.withInitializer(EtcdConfigAutoConfigurationTests::importFolders)
			.withPropertyValues("etcd.config.watch.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(EtcdConfigRefresher.class));
	}

	@Test
	void runWithAUserRefresherShouldBackOff() {
		this.contextRunner.withInitializer(EtcdConfigAutoConfigurationTests::importFolders)
			.withBean("userRefresher", EtcdConfigRefresher.class,
					() -> new EtcdConfigRefresher(null, null, ConfigWatchSettings.defaults(), List.of()))
			.run((context) -> assertThat(context).hasSingleBean(EtcdConfigRefresher.class)
				.hasBean("userRefresher"));
	}

	@Test
	void runWithANonPositiveResyncIntervalShouldFailNamingTheProperty() {
		this.contextRunner.withInitializer(EtcdConfigAutoConfigurationTests::importFolders)
			.withPropertyValues("etcd.config.resync-interval=0s")
			.run((context) -> assertThat(context).getFailure().hasRootCauseMessage(
					"Invalid value 'PT0S' of property 'etcd.config.resync-interval': must be a positive duration"));
	}

	private static void importFolders(ConfigurableApplicationContext context) {
		for (String folder : List.of("/config/application/", "/config/orders/")) {
			context.getEnvironment().getPropertySources()
				.addLast(new EtcdConfigPropertySource(ConfigFolderSnapshot.unread(folder)));
		}
	}

}
