package io.github.etcdgrpclb.spring.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import io.github.etcdgrpclb.spring.etcd.EtcdAutoConfiguration;
import io.github.etcdgrpclb.spring.etcd.NoEtcd;
import io.grpc.BindableService;
import io.grpc.ServerServiceDefinition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * An application whose gRPC services no registered server carries is told so at startup.
 */
@ExtendWith(OutputCaptureExtension.class)
class UnregisteredServerWarningTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(EtcdAutoConfiguration.class, UnregisteredServerWarningAutoConfiguration.class))
		.withPropertyValues(NoEtcd.PROPERTIES);

	@Test
	void servicesWithoutAnyRegistrationShouldBeReportedAtStartup(CapturedOutput output) {
		this.contextRunner.withBean("ordersService", BindableService.class, UnregisteredServerWarningTests::service)
			.run((context) -> {
				ready(context.getSourceApplicationContext());
				assertThat(output).contains("gRPC services [ordersService] but registered no gRPC server in etcd")
					.contains("etcd-grpclb-spring-boot4-starter")
					.contains("etcd.registry.enabled=false");
			});
	}

	@Test
	void clientOnlyApplicationShouldNotBeWarned(CapturedOutput output) {
		this.contextRunner.run((context) -> {
			ready(context.getSourceApplicationContext());
			assertThat(output).doesNotContain("registered no gRPC server");
		});
	}

	/** net.devh starts a server with its health and reflection services in a client-only application. */
	@Test
	void frameworkServicesAloneShouldNotBeWarned(CapturedOutput output) {
		this.contextRunner
			.withBean("grpcHealthService", BindableService.class, () -> service("grpc.health.v1.Health"))
			.withBean("protoReflectionService", BindableService.class,
					() -> service("grpc.reflection.v1alpha.ServerReflection"))
			.run((context) -> {
				ready(context.getSourceApplicationContext());
				assertThat(output).doesNotContain("registered no gRPC server");
			});
	}

	@Test
	void frameworkServicesShouldNotBeNamedBesideTheApplicationsOwn(CapturedOutput output) {
		this.contextRunner.withBean("ordersService", BindableService.class, UnregisteredServerWarningTests::service)
			.withBean("grpcHealthService", BindableService.class, () -> service("grpc.health.v1.Health"))
			.run((context) -> {
				ready(context.getSourceApplicationContext());
				assertThat(output).contains("gRPC services [ordersService] but registered no gRPC server in etcd");
			});
	}

	@Test
	void disabledRegistryShouldNotBeWarned() {
		this.contextRunner.withPropertyValues("etcd.registry.enabled=false")
			.withBean("ordersService", BindableService.class, UnregisteredServerWarningTests::service)
			.run((context) -> assertThat(context).doesNotHaveBean(UnregisteredServerWarning.class));
	}

	private static void ready(ConfigurableApplicationContext context) {
		context.publishEvent(new ApplicationReadyEvent(new SpringApplication(), new String[0], context, Duration.ZERO));
	}

	private static BindableService service() {
		return service("orders.Orders");
	}

	private static BindableService service(String name) {
		return () -> ServerServiceDefinition.builder(name).build();
	}

}
