package io.github.etcdgrpclb.spring.config;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.cloud.context.config.annotation.RefreshScope;
import org.springframework.cloud.context.environment.EnvironmentChangeEvent;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.event.EventListener;
import org.springframework.validation.Errors;
import org.springframework.validation.Validator;

/**
 * An application named {@code orders} that imports its configuration from etcd, for tests on either
 * Spring line: one validated {@code @ConfigurationProperties} bean, a {@code @RefreshScope} bean and a
 * record of the change events.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
@EnableConfigurationProperties(ConfigApplication.OrderProperties.class)
public class ConfigApplication {

	@Bean
	ChangeRecorder changeRecorder() {
		return new ChangeRecorder();
	}

	@Bean
	@RefreshScope
	Greeting greeting(@Value("${order.greeting}") String text) {
		return new Greeting(text);
	}

	/**
	 * @param endpoints etcd's endpoints
	 * @param arguments command-line arguments (they win over etcd), e.g. the import itself
	 * @return the running application; its local configuration says order.greeting=local
	 */
	static ConfigurableApplicationContext start(String endpoints, String... arguments) {
		return new SpringApplicationBuilder(ConfigApplication.class).web(WebApplicationType.NONE)
			.properties("etcd.endpoints=" + endpoints, "spring.application.name=orders", "order.greeting=local",
					"etcd.registry.enabled=false", "grpc.server.port=-1", "spring.grpc.server.enabled=false",
					"spring.main.banner-mode=off", "management.endpoints.access.default=read-only")
			.run(arguments);
	}

	/** What the tests bind: an order limit that must be positive, and a greeting. */
	@ConfigurationProperties("order")
	public static class OrderProperties implements Validator {

		private int maxItems = 10;

		private String greeting;

		public int getMaxItems() {
			return this.maxItems;
		}

		public void setMaxItems(int maxItems) {
			this.maxItems = maxItems;
		}

		public String getGreeting() {
			return this.greeting;
		}

		public void setGreeting(String greeting) {
			this.greeting = greeting;
		}

		@Override
		public boolean supports(Class<?> type) {
			return OrderProperties.class.isAssignableFrom(type);
		}

		@Override
		public void validate(Object target, Errors errors) {
			if (((OrderProperties) target).getMaxItems() < 1) {
				errors.rejectValue("maxItems", "positive", "order.max-items must be at least 1");
			}
		}

	}

	/** A {@code @RefreshScope} bean (Spring Cloud's context module is on the test class path). */
	public static class Greeting {

		private final String text;

		public Greeting(String text) {
			this.text = text;
		}

		public String getText() {
			return this.text;
		}

	}

	/** The change events this application received (etcd's, and Spring Cloud's). */
	public static class ChangeRecorder {

		final List<EtcdConfigChangedEvent> events = new CopyOnWriteArrayList<>();

		final List<EnvironmentChangeEvent> environmentChanges = new CopyOnWriteArrayList<>();

		@EventListener
		void changed(EtcdConfigChangedEvent event) {
			this.events.add(event);
		}

		@EventListener
		void changed(EnvironmentChangeEvent event) {
			this.environmentChanges.add(event);
		}

	}

}
