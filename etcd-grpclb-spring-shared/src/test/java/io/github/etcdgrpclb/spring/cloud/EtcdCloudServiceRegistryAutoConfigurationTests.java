package io.github.etcdgrpclb.spring.cloud;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import io.github.etcdgrpclb.registry.RegistrationStatus;
import io.github.etcdgrpclb.registry.ServerRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.cloud.client.serviceregistry.Registration;
import org.springframework.cloud.client.serviceregistry.ServiceRegistry;

class EtcdCloudServiceRegistryAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(EtcdCloudServiceRegistryAutoConfiguration.class))
		.withBean(ServerRegistry.class, NoServers::new);

	@Test
	void registeredServersShouldBeSpringCloudsRegistrationAndServiceRegistry() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasSingleBean(EtcdServiceRegistry.class).hasSingleBean(EtcdRegistration.class);
			EtcdServiceRegistry registry = context.getBean(EtcdServiceRegistry.class);
			assertThat(registry.getStatus(context.getBean(EtcdRegistration.class))).as("no server started yet")
				.isEqualTo("UNKNOWN");
		});
	}

	@Test
	void applicationsOwnServiceRegistryShouldWin() {
		this.contextRunner.withBean("own", ServiceRegistry.class, () -> new EtcdServiceRegistry(new NoServers()))
			.run((context) -> assertThat(context).hasSingleBean(ServiceRegistry.class).hasBean("own"));
	}

	@Test
	void springCloudsSwitchOrItsAbsenceShouldLeaveThemOut() {
		this.contextRunner.withPropertyValues("spring.cloud.service-registry.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(ServiceRegistry.class)
				.doesNotHaveBean(Registration.class));
		this.contextRunner.withClassLoader(new FilteredClassLoader(ServiceRegistry.class))
			.run((context) -> assertThat(context).doesNotHaveBean(EtcdServiceRegistry.class));
	}

	@Test
	void withoutRegistrationsThereIsNothingToShow() {
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(EtcdCloudServiceRegistryAutoConfiguration.class))
			.run((context) -> assertThat(context).doesNotHaveBean(ServiceRegistry.class));
	}

	/** A registry whose servers have not started: what the conditions and the status see before that. */
	static final class NoServers implements ServerRegistry {

		@Override
		public List<RegistrationStatus> statuses() {
			return List.of();
		}

		@Override
		public Optional<String> serviceName() {
			return Optional.of("orders");
		}

		@Override
		public int maxWeight() {
			return 100;
		}

		@Override
		public void updateWeight(int weight) {
		}

		@Override
		public void updateMetadata(Map<String, String> metadata) {
		}

		@Override
		public void deregister() {
		}

		@Override
		public CompletableFuture<Void> register() {
			return CompletableFuture.completedFuture(null);
		}

	}

}
